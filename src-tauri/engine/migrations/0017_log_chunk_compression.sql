-- Log chunks may be stored compressed from this version on (src/log/chunk.rs: a first byte 0,
-- the length of the lines' encoding, a zstd frame). Older builds cannot read such chunks. This
-- migration changes no table: it moves the schema version, so that an older build refuses the
-- database as written by a newer simple-cicd instead of calling its logs corrupt.
SELECT 1;
