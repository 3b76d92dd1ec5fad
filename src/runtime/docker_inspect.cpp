// What the engine reports about a container, read into runtime types: inspect -> InstanceStatus
// (state, the published ADB port, why it stopped), stats -> ContainerStats. Pure functions, so
// they are testable on hand-made documents without an engine.
#include "runtime/docker_runtime.h"
#include "runtime/docker_runtime_internal.h"

namespace cp::runtime {

namespace json = boost::json;
using namespace docker_detail;

InstanceStatus status_from_inspect(const json::object& inspect, const std::string& adb_host,
                                   bool stopped_on_request) {
  InstanceStatus st;
  const auto* state = obj(inspect, "State");
  if (!state) {
    st.state = InstanceState::failed;
    st.reason = "engine reported no container state";
    return st;
  }
  auto status = str(*state, "Status");
  auto exit_code = num(*state, "ExitCode");
  if (auto pid = num(*state, "Pid"); pid > 0) st.pid = static_cast<int>(pid);
  if (status == "running" || status == "paused") {
    st.state = InstanceState::running;
    if (const auto* ns = obj(inspect, "NetworkSettings")) {
      if (const auto* ports = obj(*ns, "Ports")) {
        auto* b = ports->if_contains(kAdbPort);
        if (b && b->is_array() && !b->as_array().empty() && b->as_array()[0].is_object()) {
          auto port = str(b->as_array()[0].as_object(), "HostPort");
          if (!port.empty()) {
            st.endpoint = {adb_host, static_cast<uint16_t>(std::stoi(port))};
          }
        }
      }
    }
  } else if (status == "restarting") {
    st.state = InstanceState::restarting;
  } else if (status == "created" || status == "configured" || status == "initialized") {
    st.state = InstanceState::created;
  } else {  // exited, stopped, dead, removing
    bool oom = state->if_contains("OOMKilled") && state->at("OOMKilled").is_bool() &&
               state->at("OOMKilled").as_bool();
    if (stopped_on_request || (exit_code == 0 && !oom)) {
      st.state = InstanceState::stopped;
      if (!stopped_on_request) st.reason = "exited with code 0";
    } else {
      st.state = InstanceState::failed;
      st.reason = oom ? "killed: out of memory" : "exited with code " + std::to_string(exit_code);
      if (auto err = str(*state, "Error"); !err.empty()) st.reason += ": " + err;
    }
  }
  return st;
}

namespace docker_detail {

ContainerStats stats_from_json(const json::object& doc) {
  ContainerStats s;
  if (const auto* mem = obj(doc, "memory_stats")) {
    s.memory_bytes = static_cast<uint64_t>(num(*mem, "usage"));
    s.memory_limit = static_cast<uint64_t>(num(*mem, "limit"));
  }
  if (const auto* cpu = obj(doc, "cpu_stats")) {
    if (const auto* usage = obj(*cpu, "cpu_usage"))
      s.cpu_total_ns = static_cast<uint64_t>(num(*usage, "total_usage"));
  }
  if (const auto* pids = obj(doc, "pids_stats")) s.pids = static_cast<int>(num(*pids, "current"));
  return s;
}

}  // namespace docker_detail

}  // namespace cp::runtime
