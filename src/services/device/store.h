#pragma once
// All SQL of the device service (table `devices`, migrations/001_devices.sql). Functions take
// an Executor so they run inside the caller's transaction; SQL is portable (platform/db.h).
#include <map>
#include <optional>
#include <string>

#include "platform/db.h"
#include "runtime/placement.h"
#include "services/device/model.h"

namespace cp::device::store {

using db::Executor;

// A spec as JSON text (templates and snapshots store it so) and back.
std::string spec_to_text(const DeviceSpec& spec);
DeviceSpec spec_from_text(const std::string& text);

void insert_device(Executor& ex, const Device& device);
// Deleted devices are not found.
std::optional<Device> find_device(Executor& ex, const std::string& id);
// Also deleted ones (events about the deletion need the record).
std::optional<Device> find_device_including_deleted(Executor& ex, const std::string& id);
std::optional<Device> find_by_idempotency_key(Executor& ex, const std::string& owner_id,
                                              const std::string& key);

struct DeviceFilter {
  std::string owner_id;  // empty = every owner (admins)
  std::optional<DeviceState> state;
  int64_t limit = 50;
  std::string after_id;  // cursor
  std::string runtime;   // empty = every runtime
};
Page<Device> list_devices(Executor& ex, const DeviceFilter& filter);
// Devices in any of the given states (health monitor, reconcile), every owner.
std::vector<Device> devices_in_states(Executor& ex, const std::vector<DeviceState>& states);

struct Usage {
  int64_t devices = 0;
  int64_t cpu_cores = 0;
  int64_t memory_mb = 0;
};
// What the owner's devices that count against the quota use.
Usage owner_usage(Executor& ex, const std::string& owner_id);

// Compare-and-set: moves the device to `to` only if it is in `from`; false otherwise.
bool transition(Executor& ex, const std::string& id, DeviceState from, DeviceState to,
                const std::string& reason, int64_t now);
void set_runtime_instance(Executor& ex, const std::string& id, const std::string& runtime_id,
                          int64_t now);
void set_adb_endpoint(Executor& ex, const std::string& id, const std::string& host, int64_t port,
                      int64_t now);
void mark_started(Executor& ex, const std::string& id, int64_t now);
void set_node(Executor& ex, const std::string& id, const std::string& node, int64_t now);
// What the live (not deleted) devices of `runtime` use, per node.
std::map<std::string, runtime::NodeUsage> node_usage(Executor& ex, const std::string& runtime);

}  // namespace cp::device::store
