#pragma once
// Snapshots: save a device's state (docker: commit; process: copy of the simulator's state
// directory), list them, restore one into a stopped device of the same owner or into a new
// device (same spec, same node), delete them. Owner-scoped: another user's snapshot, or a
// device of another user named in a request, is 404. The runtime work runs as jobs; the
// snapshot becomes `ready` with a device.snapshot.created event in one transaction.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/identity.h"
#include "services/device/device_context.h"
#include "services/device/lifecycle.h"
#include "services/device/model.h"

namespace cp::device {

boost::json::object snapshot_json(const Snapshot& s);

// 202: the device (running or stopped) is being snapshotted; 409 in other states.
Snapshot create_snapshot(DeviceContext& ctx, const http::Identity& caller,
                         const std::string& device_id, const std::string& name);
Snapshot get_snapshot(DeviceContext& ctx, const http::Identity& caller, const std::string& id);
// Users: their own snapshots (of one device when device_id is set); admins: all (owner filter).
Page<Snapshot> list_snapshots(DeviceContext& ctx, const http::Identity& caller,
                              const std::string& owner_id, const std::string& device_id,
                              int64_t limit, const std::string& cursor);
// 409 while the snapshot is still being created.
void delete_snapshot(DeviceContext& ctx, const http::Identity& caller, const std::string& id);

// Into an existing device: it must be stopped (or in error) and on the snapshot's runtime and
// node; it boots from the snapshot's state.
Device restore_into_device(DeviceContext& ctx, const http::Identity& caller,
                           const std::string& snapshot_id, const std::string& device_id);
// Into a new device named `name` with the snapshot's spec, on the snapshot's node (quota applies).
CreateResult restore_into_new_device(DeviceContext& ctx, const http::Identity& caller,
                                     const std::string& snapshot_id, const std::string& name,
                                     const std::optional<std::string>& idempotency_key,
                                     const std::string& request_id);

// Jobs.
void snapshot_job(DeviceContext& ctx, const std::string& snapshot_id);
void restore_job(DeviceContext& ctx, const std::string& device_id, const std::string& snapshot_id);
void remove_snapshot_job(DeviceContext& ctx, const std::string& snapshot_id);
// At service start: snapshots left `creating` by a restart become `error`; `deleting` ones are
// removed again.
void reconcile_snapshots(DeviceContext& ctx);

}  // namespace cp::device
