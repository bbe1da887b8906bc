-- Log chunks may use the compact line encoding from this version on (src/log/chunk.rs: a line
-- read in the same millisecond as the one before it stores no time, a line shorter than 256
-- bytes a one-byte length). Older builds cannot read such chunks. This migration changes no
-- table: it moves the schema version, so that an older build refuses the database as written
-- by a newer simple-cicd instead of calling its logs corrupt.
SELECT 1;
