#pragma once
// The device service's domain types.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cp::device {

// Lifecycle (ARCHITECTURE §5): creating → booting → running → stopping → stopped; error (with a
// reason) from anywhere a runtime or ADB can fail; deleted is final.
enum class DeviceState { creating, booting, running, stopping, stopped, error, deleted };
const char* to_string(DeviceState state);
std::optional<DeviceState> parse_state(std::string_view text);

struct DeviceSpec {
  std::string android_version = "13";
  int64_t width = 720;
  int64_t height = 1280;
  int64_t dpi = 320;
  int64_t fps = 30;
  int64_t cpu_cores = 2;
  int64_t memory_mb = 2048;
  int64_t storage_mb = 8192;
};

struct Device {
  std::string id;  // dev_…
  std::string owner_id;
  std::string name;
  DeviceState state = DeviceState::creating;
  std::string state_reason;
  std::string runtime;  // "process", "adb", ...
  std::string runtime_id;
  std::string node;  // where the runtime placed it ("local" for single-host runtimes)
  // A device created from a snapshot: the snapshot its instance is restored from before its
  // first start (kept afterwards as its origin).
  std::string restore_snapshot_id;
  std::string adb_host;
  int64_t adb_port = 0;
  DeviceSpec spec;
  std::optional<std::string> idempotency_key;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> started_at;
};

// A batch operation (POST /api/v1/devices/batch) and its per-device results.
struct Batch {
  std::string id;  // bat_…
  std::string owner_id;
  std::string action;   // start | stop | restart | delete | exec
  std::string command;  // exec only
  int64_t created_at = 0;
  int64_t updated_at = 0;
};
struct BatchItem {
  int64_t position = 0;
  std::string device_id;
  std::string status = "pending";  // pending | ok | error
  std::string error;   // stable code when status is error (not_found, invalid_state, ...)
  std::string detail;  // human-readable reason, or the new state for lifecycle actions
  std::optional<std::string> output;  // exec: stdout
  std::optional<std::string> stderr_text;
  std::optional<int64_t> exit_code;
};

// A reusable device recipe: spec, shell commands run once after boot, apps to preinstall
// (stored for the app service; not installed yet).
struct DeviceTemplate {
  std::string id;  // tpl_…
  std::string owner_id;
  std::string name;
  DeviceSpec spec;
  std::vector<std::string> init_commands;
  std::vector<std::string> apps;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A saved device state (docker: committed image; process: copy of the simulator's state
// directory) on the node of the device it was taken from. state: creating | ready | error |
// deleting (hidden; the runtime's copy is being removed).
struct Snapshot {
  std::string id;  // snp_…
  std::string owner_id;
  std::string device_id;  // the device it was taken from (may be deleted since)
  std::string name;
  std::string state = "creating";
  std::string state_reason;
  std::string runtime;
  std::string node;
  std::string ref;  // the runtime's reference (image, directory)
  DeviceSpec spec;  // of the source device; a device restored from it gets this spec
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
};

}  // namespace cp::device
