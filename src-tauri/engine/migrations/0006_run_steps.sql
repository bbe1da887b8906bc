-- simple-cicd schema, version 6: the steps of a pipeline run, each with its outcome and outputs.
-- A run of a one-step template has no rows here: its outcome is the run's own.
CREATE TABLE run_steps (
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,               -- the step's index in the run's plan
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,                  -- shell | docker-build | approval
    status     TEXT NOT NULL,                  -- queued | running | waiting | succeeded | failed | ...
    started_at INTEGER,                        -- unix ms
    ended_at   INTEGER,
    exit_code  INTEGER,
    outputs    TEXT NOT NULL DEFAULT '{}',     -- JSON object of strings
    error      TEXT,
    -- An approval step's answer: approved | declined, who gave it (or `timeout`), when, and why.
    decision   TEXT,
    decided_by TEXT,
    decided_at INTEGER,
    comment    TEXT,
    PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

-- A retry of a pipeline run: the run it retries and the step it starts from (the steps before are
-- taken over from that run, its workspace too).
ALTER TABLE runs ADD COLUMN retry_of INTEGER;
ALTER TABLE runs ADD COLUMN retry_from INTEGER;
