-- Batch operations on many devices (POST /api/v1/devices/batch). One row per batch and one
-- per device in it; progress is read from the items, so a reload of the page sees it.
CREATE TABLE device_batches (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  action TEXT NOT NULL,
  command TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX device_batches_owner ON device_batches (owner_id, id);
-- status: pending | ok | error; error is a stable code (not_found, invalid_state, ...).
CREATE TABLE device_batch_items (
  batch_id TEXT NOT NULL,
  item_no INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  output TEXT,
  stderr TEXT,
  exit_code INTEGER,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, item_no)
);
