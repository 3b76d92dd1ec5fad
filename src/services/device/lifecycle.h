#pragma once
// Device lifecycle operations. Request-side functions check ownership, quota and the state
// machine, write the new state (and its event) in one transaction and queue the device work;
// the jobs (device_jobs.cpp) talk to the runtime and ADB and record the outcome.
#include <optional>
#include <string>

#include "core/identity.h"
#include "services/device/device_context.h"
#include "services/device/model.h"
#include "services/device/state_machine.h"
#include "services/device/store.h"
#include "services/device/validation.h"

namespace cp::device {

struct CreateResult {
  Device device;
  bool replayed = false;  // an earlier request with the same Idempotency-Key created it
};

// Pure: why a new device with `spec` would exceed the quota, or nullopt.
std::optional<std::string> quota_violation(const QuotaLimits& quota, const store::Usage& usage,
                                           const DeviceSpec& spec);

// Where a new device comes from beyond its spec.
struct CreateOrigin {
  std::string restore_snapshot_id;  // restored from this snapshot before its first start
  std::string node;  // must run on this node (the snapshot's); empty = the scheduler picks
};
CreateResult create_device(DeviceContext& ctx, const http::Identity& caller,
                           const CreateDeviceInput& input,
                           const std::optional<std::string>& idempotency_key,
                           const std::string& request_id, const CreateOrigin& origin = {});
// The node for a device with `spec` (choose_node over the runtime's nodes and the database's
// usage per node); `pinned` limits the choice to that node. 409 no_capacity when none fits.
std::string place_device(DeviceContext& ctx, db::Executor& ex, const DeviceSpec& spec,
                         const std::string& pinned);
// The caller's device (admins: any device); 404 otherwise, so ids of others leak nothing.
Device get_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id);
Page<Device> list_devices(DeviceContext& ctx, const http::Identity& caller,
                          store::DeviceFilter filter);
// start / stop / restart / remove; 409 with the reason when the state does not allow it.
Device request_action(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                      DeviceAction action);

// Moves the device from `from` to `to` with the event of `to`, in one transaction. False when
// the device was no longer in `from` (someone else moved it first).
bool move_device(DeviceContext& ctx, const std::string& id, DeviceState from, DeviceState to,
                 const std::string& reason);

// Background jobs (device_jobs.cpp).
void provision_job(DeviceContext& ctx, const std::string& id);
enum class BootHow { start, restart };
void boot_job(DeviceContext& ctx, const std::string& id, BootHow how);
void stop_job(DeviceContext& ctx, const std::string& id);
void remove_job(DeviceContext& ctx, const std::string& runtime_id);
// Polls ADB until sys.boot_completed=1 (→ running) or the boot timeout (→ error).
void wait_until_ready(DeviceContext& ctx, const std::string& id);

runtime::RuntimeSpec runtime_spec(const Device& device);

}  // namespace cp::device
