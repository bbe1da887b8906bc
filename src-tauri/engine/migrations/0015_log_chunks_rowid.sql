-- Log chunks move to a rowid table. As a WITHOUT ROWID table a chunk (up to 1 MiB of lines) was
-- the B-tree's key record itself: every key comparison of a seek into it (each insert, each read
-- of a log from a line on) read the whole chunk through its overflow pages, about seventeen page
-- reads for every page of log written. Here the key (run_id, first_seq) lives in a small index and
-- the chunk is read only when it is asked for.
CREATE TABLE log_chunks_rowid (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    first_seq   INTEGER NOT NULL,
    line_count  INTEGER NOT NULL,
    data        BLOB    NOT NULL,            -- encoded lines, see log/chunk.rs
    PRIMARY KEY (run_id, first_seq)
);

INSERT INTO log_chunks_rowid (run_id, first_seq, line_count, data)
    SELECT run_id, first_seq, line_count, data FROM log_chunks ORDER BY run_id, first_seq;

DROP TABLE log_chunks;

ALTER TABLE log_chunks_rowid RENAME TO log_chunks;
