-- simple-cicd schema, version 11: a Helm app's revision records the release's Helm revision after
-- its launch (what `helm status` says is deployed then; for an upgrade Helm rolled back, the
-- revision of that automatic rollback). NULL for compose and ssh apps.
ALTER TABLE app_revisions ADD COLUMN helm_revision INTEGER;
