-- simple-cicd schema, version 9: apps (what a run deployed: a compose project on a Docker
-- endpoint, later Helm releases and ssh targets) and their revisions (each launch: the run and
-- step, the configuration as written, the services and their images by digest, the result).
CREATE TABLE apps (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,          -- compose
    name          TEXT    NOT NULL,          -- the compose project
    target        TEXT    NOT NULL,          -- the Docker endpoint
    template_name TEXT    NOT NULL,          -- the template whose run launched it last
    created_at    INTEGER NOT NULL,          -- unix ms
    UNIQUE (kind, target, name)
);

CREATE TABLE app_revisions (
    app_id     INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    run_id     INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    step_idx   INTEGER,
    trigger    TEXT    NOT NULL,
    git_commit TEXT,                         -- JSON of the run's commit, if it had a source
    config     TEXT    NOT NULL,             -- the configuration as written (variables not put in)
    services   TEXT    NOT NULL DEFAULT '[]',-- JSON: each service's state, health, image and digest
    status     TEXT    NOT NULL,             -- deployed | failed
    error      TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (app_id, number)
) WITHOUT ROWID;
