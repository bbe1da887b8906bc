-- simple-cicd schema, version 2: settings, the queue's concurrency policy, secret metadata.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL               -- JSON value
) WITHOUT ROWID;

-- How a run of this template behaves next to other runs of the same template.
ALTER TABLE runs ADD COLUMN policy TEXT NOT NULL DEFAULT 'parallel';

-- Names of stored secrets and when they changed. The values live in the OS keyring (or the
-- encrypted fallback file), never here.
CREATE TABLE secrets (
    name        TEXT PRIMARY KEY,
    backend     TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- The templates list looks up the newest run of each template.
CREATE INDEX runs_by_template_id ON runs (template_id, id);
