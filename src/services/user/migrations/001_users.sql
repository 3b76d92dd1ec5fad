-- User service tables (core database). Portable SQL: see src/platform/db.h.
-- Times are BIGINT unix milliseconds; booleans INTEGER 0/1.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,                 -- stored lower-cased
  username TEXT NOT NULL,              -- ASCII; unique case-insensitively
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,         -- Argon2id (libsodium crypto_pwhash_str)
  status TEXT NOT NULL DEFAULT 'active',  -- active | disabled | deleted (soft delete)
  totp_secret TEXT,                    -- base32; set at setup, used once enabled
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT,               -- last accepted TOTP step (no replay)
  failed_login_count INTEGER NOT NULL DEFAULT 0,
  failed_window_started_at BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_status ON users (status, id);

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  builtin INTEGER NOT NULL DEFAULT 0,  -- built-in roles cannot be renamed or deleted
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE role_permissions (
  role_id TEXT NOT NULL,
  permission TEXT NOT NULL,            -- resource:action, resource:* or *
  PRIMARY KEY (role_id, permission)
);

CREATE TABLE user_roles (
  user_id TEXT NOT NULL,
  role_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles (role_id);

-- The catalogue shown by GET /api/v1/permissions: what the services check.
CREATE TABLE permissions (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL
);

CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,             -- one login session; the JWT "sid"
  user_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,     -- SHA-256 hex; the token itself is never stored
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,                      -- rotated: presenting it again is reuse
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,         -- public part of cpk_<prefix>_<secret>
  secret_hash TEXT NOT NULL,           -- SHA-256 hex of the whole key
  scopes TEXT NOT NULL DEFAULT '',     -- space-separated permissions; empty = all of the user's
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id, id);

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,                 -- time-sortable: pagination and order by id
  created_at BIGINT NOT NULL,
  actor_id TEXT,                       -- NULL for anonymous (failed login of unknown user)
  action TEXT NOT NULL,                -- login.succeeded, login.failed, account.locked, ...
  target_type TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT 'success',
  client_ip TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}'   -- JSON object
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target ON audit_log (target_id, id);

-- Per-user overrides; users without a row get the configured defaults.
CREATE TABLE user_quotas (
  user_id TEXT PRIMARY KEY,
  max_devices BIGINT NOT NULL,
  max_cpu_cores BIGINT NOT NULL,
  max_memory_mb BIGINT NOT NULL,
  max_device_hours BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
