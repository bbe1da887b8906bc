-- simple-cicd schema, version 1: templates, runs and their logs.
CREATE TABLE templates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    spec        TEXT    NOT NULL,            -- JSON of TemplateSpec
    created_at  INTEGER NOT NULL,            -- unix ms
    updated_at  INTEGER NOT NULL
);

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id      INTEGER REFERENCES templates(id) ON DELETE SET NULL,
    template_name    TEXT    NOT NULL,
    number           INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    trigger          TEXT    NOT NULL,
    params           TEXT    NOT NULL,       -- JSON object of the resolved parameters
    spec             TEXT    NOT NULL,       -- JSON snapshot of the TemplateSpec that ran
    queued_at        INTEGER NOT NULL,
    started_at       INTEGER,
    finished_at      INTEGER,
    exit_code        INTEGER,
    error            TEXT,
    log_lines        INTEGER NOT NULL DEFAULT 0,
    workdir          TEXT,
    owner            TEXT,                   -- engine instance that executes the run
    pgid             INTEGER,                -- process group of the script
    run_key          TEXT    NOT NULL,       -- secret cookie in the script's environment, for reaping
    cancel_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_template ON runs (template_name, id);
CREATE INDEX runs_by_status ON runs (status, id);

CREATE TABLE log_chunks (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    first_seq   INTEGER NOT NULL,
    line_count  INTEGER NOT NULL,
    data        BLOB    NOT NULL,            -- encoded lines, see log/chunk.rs
    PRIMARY KEY (run_id, first_seq)
) WITHOUT ROWID;
