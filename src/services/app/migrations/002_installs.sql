-- Install and uninstall batches: one row per request, one item per device. Items are persisted
-- as they move (queued → installing → installed | failed), so progress is visible while a
-- batch runs and after a restart. source: api | template.
CREATE TABLE app_install_batches (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  package TEXT NOT NULL,
  version_code BIGINT NOT NULL,
  action TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX app_install_batches_app ON app_install_batches (app_id, id);
-- status: queued | installing | installed | uninstalling | uninstalled | failed
CREATE TABLE app_install_items (
  batch_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  status TEXT NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, device_id)
);
-- What the app service installed on each device (the installed-apps view).
CREATE TABLE app_device_installs (
  device_id TEXT NOT NULL,
  package TEXT NOT NULL,
  app_id TEXT NOT NULL,
  version_code BIGINT NOT NULL,
  owner_id TEXT NOT NULL,
  installed_at BIGINT NOT NULL,
  PRIMARY KEY (device_id, package)
);
