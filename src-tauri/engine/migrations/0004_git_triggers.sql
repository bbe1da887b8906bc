-- simple-cicd schema, version 4: git repositories, the commit of a run, webhook deliveries and
-- the state of polling and cron triggers.

-- Repositories. Their tokens, passwords and SSH keys live in the secret store, never here.
CREATE TABLE repositories (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE,
    url         TEXT    NOT NULL,
    provider    TEXT    NOT NULL,        -- github | gitlab | gitea | generic
    auth        TEXT    NOT NULL,        -- none | token | ssh-key | ssh-agent
    username    TEXT,
    host_key    TEXT,                    -- SSH host key fingerprint, pinned on first contact
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The ref a run was asked for, the commit it must use when a trigger pinned one, and the commit
-- it checked out (JSON of RunCommit).
ALTER TABLE runs ADD COLUMN git_ref TEXT;
ALTER TABLE runs ADD COLUMN git_sha TEXT;
ALTER TABLE runs ADD COLUMN git_commit TEXT;

-- Webhook deliveries, kept for the UI and to answer replays. `accepted` deliveries (signature
-- checked) are unique per delivery id, so a replay never starts a second run.
CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    template_name TEXT    NOT NULL,
    provider      TEXT    NOT NULL,
    delivery_id   TEXT,
    event         TEXT,
    git_ref       TEXT,
    sha           TEXT,
    outcome       TEXT    NOT NULL,      -- started | filtered | ignored | duplicate | rejected
    status        INTEGER NOT NULL,      -- HTTP status answered
    message       TEXT    NOT NULL,
    run_id        INTEGER,
    accepted      INTEGER NOT NULL DEFAULT 0,
    received_at   INTEGER NOT NULL
);
CREATE INDEX deliveries_by_template ON deliveries (template_name, id);
CREATE UNIQUE INDEX deliveries_once ON deliveries (provider, template_name, delivery_id)
    WHERE accepted = 1 AND delivery_id IS NOT NULL;

-- What polling last saw per branch, and when cron last fired, per template and trigger. Shared by
-- every process on the data directory, so two of them never fire the same trigger twice.
CREATE TABLE trigger_state (
    template_id  INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    key          TEXT    NOT NULL,       -- poll:<index>:<branch> | cron:<index>:<expression>
    value        TEXT    NOT NULL,       -- a SHA, or a unix ms time
    PRIMARY KEY (template_id, key)
) WITHOUT ROWID;
