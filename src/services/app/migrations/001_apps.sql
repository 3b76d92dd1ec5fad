-- Apps (one per Android package) and their versions. An APK is stored once per content
-- (apk_key = "apps/sha256/<hex>"); icons likewise. permissions is a JSON array of strings.
-- review_state per version: draft | pending | published | rejected | unpublished.
CREATE TABLE apps (
  id TEXT PRIMARY KEY,
  package TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX apps_package ON apps (package);
CREATE INDEX apps_owner ON apps (owner_id, id);
CREATE TABLE app_versions (
  app_id TEXT NOT NULL,
  version_code BIGINT NOT NULL,
  version_name TEXT NOT NULL,
  label TEXT NOT NULL,
  min_sdk INTEGER NOT NULL,
  target_sdk INTEGER NOT NULL,
  permissions TEXT NOT NULL,
  launchable_activity TEXT NOT NULL DEFAULT '',
  apk_key TEXT NOT NULL,
  apk_sha256 TEXT NOT NULL,
  apk_size BIGINT NOT NULL,
  icon_key TEXT NOT NULL DEFAULT '',
  uploader_id TEXT NOT NULL,
  review_state TEXT NOT NULL,
  review_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (app_id, version_code)
);
CREATE INDEX app_versions_sha ON app_versions (apk_sha256);
-- The audit trail of review actions (submit, approve, reject, unpublish), never updated.
CREATE TABLE app_review_log (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  version_code BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX app_review_log_app ON app_review_log (app_id, id);
