#pragma once
// Test-only: an in-memory DeviceRuntime that records calls and can be told to fail or to lose
// an instance (not part of cp_svc_device: headers are not compiled into the library).
#include <map>
#include <mutex>
#include <vector>

#include "runtime/device_runtime.h"

namespace cp::device::testing {

class FakeRuntime final : public runtime::DeviceRuntime {
 public:
  std::string kind() const override { return "fake"; }
  std::string create(const runtime::RuntimeSpec& spec) override {
    std::lock_guard lock(mu_);
    if (fail_create) throw runtime::RuntimeError("fake: no capacity");
    auto& i = instances_[spec.device_id];
    if (i.status.state == runtime::InstanceState::absent)
      i.status.state = runtime::InstanceState::created;
    i.spec = spec;
    return spec.device_id;
  }
  runtime::AdbEndpoint start(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto& i = at(id);
    i.status.state = runtime::InstanceState::running;
    i.status.endpoint = {"127.0.0.1", static_cast<uint16_t>(next_port_++)};
    return i.status.endpoint;
  }
  void stop(const std::string& id, std::chrono::milliseconds) override {
    std::lock_guard lock(mu_);
    at(id).status = {runtime::InstanceState::stopped, {}, "stopped on request", 0, {}};
  }
  runtime::AdbEndpoint restart(const std::string& id, std::chrono::milliseconds g) override {
    stop(id, g);
    return start(id);
  }
  void remove(const std::string& id) override {
    std::lock_guard lock(mu_);
    instances_.erase(id);
    ++removed;
  }
  runtime::InstanceStatus inspect(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = instances_.find(id);
    return it == instances_.end() ? runtime::InstanceStatus{} : it->second.status;
  }
  std::string logs(const std::string&, size_t) override { return ""; }
  std::vector<std::string> list() override {
    std::lock_guard lock(mu_);
    std::vector<std::string> ids;
    for (const auto& [id, _] : instances_) ids.push_back(id);
    return ids;
  }

  // Simulates a crash the runtime's policy is handling (state restarting) or gave up on.
  void crash(const std::string& id, runtime::InstanceState now, const std::string& reason) {
    std::lock_guard lock(mu_);
    at(id).status = {now, {}, reason, at(id).status.restarts, {}};
  }
  // Simulates the restart policy bringing it back on a new port.
  void revive(const std::string& id) {
    start(id);
    std::lock_guard lock(mu_);
    ++at(id).status.restarts;
  }
  void forget_all() {
    std::lock_guard lock(mu_);
    instances_.clear();
  }

  // Snapshots: a map snapshot id -> the instance it was taken of; restore records "rid<-sid".
  std::string snapshot(const std::string& id, const std::string& sid) override {
    std::lock_guard lock(mu_);
    at(id);
    if (fail_snapshot) throw runtime::RuntimeError("fake: commit failed");
    snapshots[sid] = id;
    return "fake/" + sid;
  }
  void restore(const std::string& id, const std::string& sid) override {
    std::lock_guard lock(mu_);
    if (!snapshots.count(sid)) throw runtime::RuntimeError("fake: no snapshot " + sid);
    if (at(id).status.state == runtime::InstanceState::running)
      throw runtime::RuntimeError("fake: running");
    restores.push_back(id + "<-" + sid);
  }
  void remove_snapshot(const std::string& sid) override {
    std::lock_guard lock(mu_);
    if (snapshot_in_use) throw runtime::RuntimeError("fake: image in use");
    snapshots.erase(sid);
  }
  std::vector<runtime::NodeInfo> nodes() override {
    std::lock_guard lock(mu_);
    return node_list.empty() ? DeviceRuntime::nodes() : node_list;
  }
  std::string node_of(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = instances_.find(id);
    return it == instances_.end() ? "" : it->second.spec.node;
  }
  runtime::RuntimeSpec spec_of(const std::string& id) {
    std::lock_guard lock(mu_);
    return at(id).spec;
  }

  bool fail_create = false;
  bool fail_snapshot = false;
  bool snapshot_in_use = false;
  int removed = 0;
  std::map<std::string, std::string> snapshots;
  std::vector<std::string> restores;
  std::vector<runtime::NodeInfo> node_list;  // empty = one unlimited "local" node

 private:
  struct Instance {
    runtime::RuntimeSpec spec;
    runtime::InstanceStatus status;
  };
  Instance& at(const std::string& id) {
    auto it = instances_.find(id);
    if (it == instances_.end()) throw runtime::RuntimeError("fake: no instance " + id);
    return it->second;
  }
  std::mutex mu_;
  std::map<std::string, Instance> instances_;
  int next_port_ = 40000;
};

}  // namespace cp::device::testing
