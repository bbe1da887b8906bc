-- Log chunks are written as blocks from this version on (src/log/block.rs: a first byte 4, a
-- table of runs of lines of one stream, step and time, then the lines' text). Older builds cannot
-- read such chunks. This migration changes no table: it moves the schema version, so that an
-- older build refuses the database as written by a newer simple-cicd instead of calling its logs
-- corrupt.
SELECT 1;
