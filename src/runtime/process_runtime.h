#pragma once
// The process runtime: each device is a `cloudphone devicesim` child process (the SIMULATED
// device) with its own state directory <state_root>/<device id>. Its ADB port is chosen by the
// simulator (--port 0) and read from its "listening on HOST:PORT" line, so it changes on every
// start. A supervisor thread reaps children; one that exits unexpectedly is restarted with
// exponential backoff until the policy gives up. Stop = SIGTERM, then SIGKILL after the grace.
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "runtime/child_process.h"
#include "runtime/device_runtime.h"

namespace cp::runtime {

struct RestartPolicy {
  int max_restarts = 5;  // consecutive unexpected exits before giving up (state failed)
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  // Running this long without a crash resets the consecutive-restart count.
  std::chrono::milliseconds stable_after{60'000};
};

// Pure: the delay before restart number `attempt` (1-based).
std::chrono::milliseconds restart_backoff(const RestartPolicy& policy, int attempt);

struct ProcessRuntimeOptions {
  std::filesystem::path devicesim_bin;  // the cloudphone binary
  std::filesystem::path state_root;     // data.dir/devices
  // Snapshots are copies of a device's state directory: <snapshot_root>/<snapshot id>.
  // Empty = <state_root>/.snapshots (device ids never start with a dot).
  std::filesystem::path snapshot_root;
  std::string listen_host = "127.0.0.1";
  std::chrono::milliseconds start_timeout{15'000};  // until the "listening on" line
  std::chrono::milliseconds supervise_interval{200};
  RestartPolicy restart;
};

class ProcessRuntime final : public DeviceRuntime {
 public:
  explicit ProcessRuntime(ProcessRuntimeOptions options);
  ~ProcessRuntime() override;  // stops every child

  std::string kind() const override { return "process"; }
  std::string create(const RuntimeSpec& spec) override;
  AdbEndpoint start(const std::string& runtime_id) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  AdbEndpoint restart(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  void remove(const std::string& runtime_id) override;
  InstanceStatus inspect(const std::string& runtime_id) override;
  std::string logs(const std::string& runtime_id, size_t max_bytes) override;
  std::vector<std::string> list() override;
  // Copies the state directory (running or not: the simulator replaces its files atomically).
  std::string snapshot(const std::string& runtime_id, const std::string& snapshot_id) override;
  // Replaces the state directory of a not-running instance with the snapshot's copy.
  void restore(const std::string& runtime_id, const std::string& snapshot_id) override;
  void remove_snapshot(const std::string& snapshot_id) override;

 private:
  std::filesystem::path snapshot_dir(const std::string& snapshot_id) const;
  struct Instance {
    RuntimeSpec spec;
    std::filesystem::path dir;
    std::unique_ptr<ChildProcess> child;
    InstanceState state = InstanceState::created;
    AdbEndpoint endpoint;
    std::string reason;
    int restarts = 0;     // since the last start on request
    int consecutive = 0;  // unexpected exits in a row (policy)
    std::chrono::steady_clock::time_point started_at, restart_at;
    std::mutex op;  // serialises start/stop/restart of this one instance
  };
  std::shared_ptr<Instance> find(const std::string& id);
  std::vector<std::string> command_line(const Instance& inst) const;
  // Spawns the child and waits for its port; caller holds inst.op.
  AdbEndpoint spawn(Instance& inst);
  void stop_locked(Instance& inst, std::chrono::milliseconds grace);
  void supervise();
  void check(Instance& inst);

  ProcessRuntimeOptions options_;
  std::mutex mu_;  // guards instances_ and the state fields of every Instance
  std::map<std::string, std::shared_ptr<Instance>> instances_;
  std::mutex wake_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread supervisor_;
};

}  // namespace cp::runtime
