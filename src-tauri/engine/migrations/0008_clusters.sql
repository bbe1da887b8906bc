-- simple-cicd schema, version 8: Kubernetes clusters.

-- A cluster is a context of the user's own kubeconfig (read each time it is used), or a kubeconfig
-- kept in the OS keyring under `cluster:<name>:kubeconfig`, never here: it holds keys and tokens.
CREATE TABLE clusters (
    name       TEXT PRIMARY KEY,
    source     TEXT NOT NULL,             -- context | kubeconfig
    context    TEXT,                      -- required for `context`; NULL: the kept kubeconfig's current-context
    namespace  TEXT NOT NULL,             -- default namespace of deployments
    created_at INTEGER NOT NULL           -- unix ms
) WITHOUT ROWID;
