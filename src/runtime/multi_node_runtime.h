#pragma once
// Several runtimes of one kind as one: each is a node (a Docker Engine endpoint from
// `device.docker.endpoints`). create() puts the instance on RuntimeSpec::node (the device
// service chose it with choose_node()); every other call goes to the node holding the instance,
// found from a cache filled by create() and, after a restart of the service, by asking the nodes.
#include <map>
#include <memory>
#include <mutex>

#include "runtime/device_runtime.h"

namespace cp::runtime {

class MultiNodeRuntime final : public DeviceRuntime {
 public:
  struct Node {
    NodeInfo info;
    std::unique_ptr<DeviceRuntime> runtime;
  };
  // Throws std::invalid_argument when `nodes` is empty.
  explicit MultiNodeRuntime(std::vector<Node> nodes);

  std::string kind() const override { return kind_; }
  std::string create(const RuntimeSpec& spec) override;
  AdbEndpoint start(const std::string& runtime_id) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  AdbEndpoint restart(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  void remove(const std::string& runtime_id) override;
  InstanceStatus inspect(const std::string& runtime_id) override;
  std::string logs(const std::string& runtime_id, size_t max_bytes) override;
  // Instances of every reachable node (an unreachable one is skipped, not fatal).
  std::vector<std::string> list() override;
  std::string node_of(const std::string& runtime_id) override;
  std::vector<NodeInfo> nodes() override;
  std::string snapshot(const std::string& runtime_id, const std::string& snapshot_id) override;
  void restore(const std::string& runtime_id, const std::string& snapshot_id) override;
  // Removed from every node that has it.
  void remove_snapshot(const std::string& snapshot_id) override;

 private:
  // The node holding the instance, or nullptr when none knows it.
  Node* locate(const std::string& runtime_id);
  Node& locate_or_throw(const std::string& runtime_id);
  Node& by_name(const std::string& name);

  std::string kind_;
  std::vector<Node> nodes_;
  std::mutex mu_;
  std::map<std::string, size_t> where_;  // runtime id -> index in nodes_
};

}  // namespace cp::runtime
