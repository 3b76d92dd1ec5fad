-- Password reset by email. Only the SHA-256 of a token is stored (the mail carries the token),
-- so a database leak cannot be turned into working reset links.
CREATE TABLE password_reset_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 hex of the token
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,                      -- the password was set with it (single use)
  invalidated_at BIGINT,               -- a newer request or a completed reset superseded it
  requested_ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id, created_at);
