CREATE TABLE widgets (id TEXT PRIMARY KEY, name TEXT NOT NULL);
-- a comment; with a semicolon
INSERT INTO widgets (id, name) VALUES ('wid_1', 'first; not a separator');
