-- Cloud phones. The spec is stored as columns; the runtime instance is found by
-- (runtime, runtime_id) and reached over ADB at adb_host:adb_port (refreshed on every start).
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  state_reason TEXT NOT NULL DEFAULT '',
  runtime TEXT NOT NULL,
  runtime_id TEXT NOT NULL DEFAULT '',
  adb_host TEXT NOT NULL DEFAULT '',
  adb_port INTEGER NOT NULL DEFAULT 0,
  android_version TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  dpi INTEGER NOT NULL,
  fps INTEGER NOT NULL,
  cpu_cores INTEGER NOT NULL,
  memory_mb INTEGER NOT NULL,
  storage_mb INTEGER NOT NULL,
  idempotency_key TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  started_at BIGINT,
  deleted_at BIGINT
);
-- NULL keys are distinct on both backends, so only keyed creates are deduplicated.
CREATE UNIQUE INDEX devices_owner_idempotency ON devices (owner_id, idempotency_key);
CREATE INDEX devices_owner ON devices (owner_id, id);
CREATE INDEX devices_state ON devices (state);
