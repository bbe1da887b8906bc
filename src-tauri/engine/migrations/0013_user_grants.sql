-- Per-template grants: the templates an operator may run (start, cancel, approve, retry, deploy),
-- as a JSON array of name patterns (`web-*`). An empty array grants every template.
ALTER TABLE users ADD COLUMN grants TEXT NOT NULL DEFAULT '[]';
