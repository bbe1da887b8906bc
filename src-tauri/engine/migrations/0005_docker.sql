-- simple-cicd schema, version 5: Docker endpoints and registries, and what a Docker run produced.

-- Docker Engines other than the local socket (which is built in and never stored). TLS material and
-- SSH keys live in the OS keyring under reserved names (`endpoint:<name>:tls`,
-- `endpoint:<name>:ssh-key`), never here.
CREATE TABLE docker_endpoints (
    name        TEXT PRIMARY KEY,
    url         TEXT NOT NULL,               -- unix:///path, tcp://host:port, ssh://user@host[:port]
    kind        TEXT NOT NULL,               -- unix | tcp | tls | ssh
    has_ssh_key INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL             -- unix ms
) WITHOUT ROWID;

-- Image registries. The password or token lives in the OS keyring (`registry:<name>:password`).
CREATE TABLE docker_registries (
    name         TEXT PRIMARY KEY,
    url          TEXT NOT NULL,              -- as the user gave it
    host         TEXT NOT NULL,              -- host[:port] image names start with, e.g. localhost:5000
    username     TEXT,
    has_password INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- What a docker-build run produced, and the endpoint a run created containers on (so that crash
-- recovery can remove them, by the run's label, after the process that ran it died).
ALTER TABLE runs ADD COLUMN image_id TEXT;
ALTER TABLE runs ADD COLUMN image_tags TEXT;       -- JSON array of the tags after substitution
ALTER TABLE runs ADD COLUMN image_digest TEXT;     -- sha256:... of the pushed manifest
ALTER TABLE runs ADD COLUMN docker_endpoint TEXT;
