-- Placement and snapshots. devices.node: where the runtime placed the device (a docker
-- endpoint from device.docker.endpoints; "local" otherwise). devices.restore_snapshot_id: the
-- snapshot a device created from one is restored from before its first start.
ALTER TABLE devices ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN restore_snapshot_id TEXT NOT NULL DEFAULT '';
CREATE INDEX devices_node ON devices (runtime, node);
-- state: creating | ready | error | deleting (the runtime's copy is being removed; hidden).
-- spec is JSON text (the source device's spec); ref is the runtime's reference (image, dir).
CREATE TABLE device_snapshots (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  state_reason TEXT NOT NULL DEFAULT '',
  runtime TEXT NOT NULL,
  node TEXT NOT NULL DEFAULT '',
  ref TEXT NOT NULL DEFAULT '',
  spec TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX device_snapshots_owner ON device_snapshots (owner_id, id);
CREATE INDEX device_snapshots_device ON device_snapshots (device_id, id);
CREATE INDEX device_snapshots_state ON device_snapshots (state);
