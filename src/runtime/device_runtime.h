#pragma once
// One interface over every place a cloud phone's Android instance can run (ARCHITECTURE §5):
// a supervised `cloudphone devicesim` child (process), an existing phone reachable over ADB
// (adb) and, later, a Docker Engine container (docker). The device service only ever talks
// to this interface; an instance is reached through the ADB endpoint the runtime reports.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/placement.h"

namespace cp::runtime {

// Everything a runtime may need to build an instance. Fields a runtime does not use are
// ignored (the process runtime has no image; the adb runtime only reads adb_host/adb_port).
struct RuntimeSpec {
  std::string device_id;  // dev_…; also the instance's stable name
  std::string name;
  std::string android_version = "13";
  int width = 720;
  int height = 1280;
  int dpi = 320;
  int fps = 30;
  int cpu_cores = 2;
  int memory_mb = 2048;
  int storage_mb = 8192;
  std::string model;  // ro.product.model; empty = the runtime's default
  // For container runtimes (docker): image, environment and labels.
  std::string image;
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> labels;
  // For the adb runtime: where the existing device listens.
  std::string adb_host;
  uint16_t adb_port = 0;
  // For runtimes over several nodes (docker endpoints): place the instance on this node (a
  // device restored from a snapshot must run where the snapshot is). Empty = the scheduler picks.
  std::string node;
};

// Where the instance's ADB daemon can be reached right now (it may change after a restart).
struct AdbEndpoint {
  std::string host;
  uint16_t port = 0;
  bool operator==(const AdbEndpoint&) const = default;
};

enum class InstanceState {
  absent,      // the runtime does not know this instance (never created, removed, or lost)
  created,     // prepared, not started
  running,     // the instance is up (ADB may still be booting)
  restarting,  // exited unexpectedly; the restart policy will start it again
  stopped,     // stopped on request
  failed,      // exited unexpectedly and the restart policy gave up
};
const char* to_string(InstanceState state);

struct InstanceStatus {
  InstanceState state = InstanceState::absent;
  AdbEndpoint endpoint;  // valid while running
  std::string reason;    // why it is not running (e.g. "killed by signal 9")
  int restarts = 0;      // restarts by policy since the last start on request
  std::optional<int> pid;
};

struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// snapshot/restore and other operations a runtime does not offer.
struct NotSupported : RuntimeError {
  using RuntimeError::RuntimeError;
};

class DeviceRuntime {
 public:
  virtual ~DeviceRuntime() = default;
  virtual std::string kind() const = 0;  // "process", "adb", "docker"

  // Prepares an instance (not started); returns its runtime id. Creating again with the same
  // device id returns the same instance (reconcile relies on it). Throws RuntimeError.
  virtual std::string create(const RuntimeSpec& spec) = 0;
  // Starts (or keeps running) the instance and returns where its ADB listens.
  virtual AdbEndpoint start(const std::string& runtime_id) = 0;
  // Stops it: gracefully first, forcefully after `grace`. Stopping a stopped instance is a no-op.
  virtual void stop(const std::string& runtime_id, std::chrono::milliseconds grace) = 0;
  virtual AdbEndpoint restart(const std::string& runtime_id, std::chrono::milliseconds grace) = 0;
  // Stops and forgets the instance and its storage. Removing an absent instance is a no-op.
  virtual void remove(const std::string& runtime_id) = 0;
  virtual InstanceStatus inspect(const std::string& runtime_id) = 0;
  // The last `max_bytes` of the instance's own log (not logcat).
  virtual std::string logs(const std::string& runtime_id, size_t max_bytes) = 0;
  // Runtime ids of every instance this runtime currently knows.
  virtual std::vector<std::string> list() = 0;

  // The node an instance runs on ("local" for single-host runtimes). The device service records
  // it on the device; a snapshot lives on the node of the device it was taken from.
  virtual std::string node_of(const std::string& runtime_id) {
    (void)runtime_id;
    return "local";
  }
  // The nodes instances can be placed on (RuntimeSpec::node); one unlimited "local" node by
  // default.
  virtual std::vector<NodeInfo> nodes() { return {NodeInfo{"local", kind(), {}}}; }

  // Saves the instance's device state as snapshot `snapshot_id`; returns the runtime's
  // reference for it (image name, directory). The instance may be running or stopped.
  virtual std::string snapshot(const std::string& runtime_id, const std::string& snapshot_id) {
    (void)runtime_id;
    (void)snapshot_id;
    throw NotSupported(kind() + " runtime: snapshots are not supported");
  }
  // Replaces the (stopped or just created) instance's device state with the snapshot's; the
  // instance is left not started.
  virtual void restore(const std::string& runtime_id, const std::string& snapshot_id) {
    (void)runtime_id;
    (void)snapshot_id;
    throw NotSupported(kind() + " runtime: restore is not supported");
  }
  // Forgets the snapshot. Removing an absent snapshot is a no-op; a snapshot still in use (an
  // instance restored from it runs on its image) throws RuntimeError and stays.
  virtual void remove_snapshot(const std::string& snapshot_id) {
    (void)snapshot_id;
    throw NotSupported(kind() + " runtime: snapshots are not supported");
  }
};

}  // namespace cp::runtime
