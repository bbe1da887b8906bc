-- simple-cicd schema, version 3: templates pinned to the tray, and the e-mail status of runs.
ALTER TABLE templates ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;

-- JSON of EmailDelivery (state, recipients, attempts, the server's answer); NULL when no rule
-- asked for an e-mail.
ALTER TABLE runs ADD COLUMN email TEXT;
