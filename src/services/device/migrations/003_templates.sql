-- Device templates: a spec, shell commands run once after boot, apps to preinstall (stored for
-- the app service; not acted on yet). spec / init_commands / apps are JSON text.
CREATE TABLE device_templates (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  spec TEXT NOT NULL,
  init_commands TEXT NOT NULL,
  apps TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX device_templates_owner ON device_templates (owner_id, id);
-- Init commands a device still has to run once it is running (copied from its template at
-- create time, so editing the template later does not change them). status: pending | done |
-- failed; detail says which command failed and how.
CREATE TABLE device_init_commands (
  device_id TEXT PRIMARY KEY,
  template_id TEXT NOT NULL,
  commands TEXT NOT NULL,
  status TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
