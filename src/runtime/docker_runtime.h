#pragma once
// The docker runtime: each device is a container on a Docker Engine API endpoint (Docker, or
// podman's Docker-compatible service in the tests), named cp-<device id> and labelled
// cloudphone.device=<device id>. The container's ADB port 5555 is published on a host port the
// engine chooses, read back from inspect after every start. Snapshot = commit of the container
// (device state lives in the container's own filesystem, not in a volume, so commit keeps it).
//
// Two profiles build the container:
//  - redroid: real Android (redroid/redroid:<version>-latest), privileged, boot arguments ON
//    THE COMMAND LINE (androidboot.redroid_width/height/dpi/fps/gpu_mode and ro.* overrides).
//  - simulator: the image packing `cloudphone devicesim` (scripts/build-devicesim-image.sh);
//    the SIMULATED device, with its options as arguments.
#include <boost/json/object.hpp>
#include <mutex>
#include <set>

#include "runtime/device_runtime.h"
#include "runtime/docker_api.h"

namespace cp::runtime {

enum class DockerProfile { redroid, simulator };
DockerProfile parse_docker_profile(const std::string& name);  // throws std::invalid_argument

struct DockerRuntimeOptions {
  std::string host = "unix:///var/run/docker.sock";  // unix:///path, tcp://h:p, http://h:p
  DockerProfile profile = DockerProfile::redroid;
  // Default image when the spec names none. Empty: redroid/redroid:<version>-latest for the
  // redroid profile; the simulator profile needs one (cloudphone/devicesim:<tag>).
  std::string image;
  // Host address the ADB port is published on, and the address reported to reach it. Empty
  // publish_ip = all interfaces; empty adb_host = 127.0.0.1 for unix sockets, else the engine's
  // host.
  std::string publish_ip = "127.0.0.1";
  std::string adb_host;
  std::string network_mode;  // empty = the engine's default (bridge)
  std::string redroid_gpu_mode = "guest";
  std::string snapshot_repo = "cloudphone/snapshot";  // snapshots are <repo>:<snapshot id>
  std::chrono::milliseconds call_timeout{30'000};
};

// Pure: the body of POST /containers/create for a spec (unit-tested; also what restore reuses).
boost::json::object build_create_body(const DockerRuntimeOptions& options, const RuntimeSpec& spec);
// Pure: the image for a spec under the options (spec.image wins).
std::string image_for(const DockerRuntimeOptions& options, const RuntimeSpec& spec);
// Pure: InstanceStatus from a container inspect document (`stopped_on_request` tells a stop we
// asked for from a crash).
InstanceStatus status_from_inspect(const boost::json::object& inspect, const std::string& adb_host,
                                   bool stopped_on_request);

struct ContainerStats {
  uint64_t memory_bytes = 0;
  uint64_t memory_limit = 0;
  uint64_t cpu_total_ns = 0;  // cumulative CPU time of the container
  int pids = 0;
};

class DockerRuntime final : public DeviceRuntime {
 public:
  explicit DockerRuntime(DockerRuntimeOptions options);
  // For tests: a given transport (e.g. one that records requests).
  DockerRuntime(DockerRuntimeOptions options, std::unique_ptr<EngineTransport> transport);

  std::string kind() const override { return "docker"; }
  std::string create(const RuntimeSpec& spec) override;
  AdbEndpoint start(const std::string& runtime_id) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  AdbEndpoint restart(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  void remove(const std::string& runtime_id) override;
  InstanceStatus inspect(const std::string& runtime_id) override;
  std::string logs(const std::string& runtime_id, size_t max_bytes) override;
  std::vector<std::string> list() override;
  // Commits the container into <snapshot_repo>:<snapshot_id>; returns that image reference.
  std::string snapshot(const std::string& runtime_id, const std::string& snapshot_id) override;
  // Recreates the container from the snapshot image (same spec, same name); not started.
  void restore(const std::string& runtime_id, const std::string& snapshot_id) override;

  // Not forced: an image a restored container still runs on stays (RuntimeError "in use").
  void remove_snapshot(const std::string& snapshot_id) override;

  ContainerStats stats(const std::string& runtime_id);
  bool snapshot_exists(const std::string& snapshot_id);
  void ping();  // throws RuntimeError when the engine is unreachable
  static std::string container_name(const std::string& device_id) { return "cp-" + device_id; }

 private:
  AdbEndpoint endpoint_of(const std::string& runtime_id);
  std::string snapshot_ref(const std::string& snapshot_id) const;

  DockerRuntimeOptions options_;
  std::string adb_host_;
  DockerApi api_;
  std::mutex mu_;
  std::set<std::string> stopped_on_request_;
};

}  // namespace cp::runtime
