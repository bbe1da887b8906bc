-- simple-cicd schema, version 14: webhook deliveries under load.

-- A run's number is the template's highest plus one: read from this index, not by visiting
-- every run of the template (10,000 runs made each webhook's run insert read 10,000 rows).
CREATE INDEX runs_by_template_number ON runs (template_name, number);

-- Bumped by every change to what a webhook delivery is checked against (templates, secret
-- names and dates, settings), by whichever process makes it. A serving process keeps those in
-- memory and rereads them only when this number moved, instead of reading them (and the
-- keyring) for every delivery.
CREATE TABLE config_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO config_version (id, n) VALUES (1, 0);

CREATE TRIGGER templates_inserted AFTER INSERT ON templates BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER templates_updated AFTER UPDATE ON templates BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER templates_deleted AFTER DELETE ON templates BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER secrets_inserted AFTER INSERT ON secrets BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER secrets_updated AFTER UPDATE ON secrets BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER secrets_deleted AFTER DELETE ON secrets BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER settings_inserted AFTER INSERT ON settings BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER settings_updated AFTER UPDATE ON settings BEGIN UPDATE config_version SET n = n + 1; END;
CREATE TRIGGER settings_deleted AFTER DELETE ON settings BEGIN UPDATE config_version SET n = n + 1; END;
