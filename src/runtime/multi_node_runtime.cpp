#include "runtime/multi_node_runtime.h"

#include "core/log.h"

namespace cp::runtime {

MultiNodeRuntime::MultiNodeRuntime(std::vector<Node> nodes) : nodes_(std::move(nodes)) {
  if (nodes_.empty()) throw std::invalid_argument("a multi-node runtime needs at least one node");
  kind_ = nodes_.front().runtime->kind();
}

MultiNodeRuntime::Node& MultiNodeRuntime::by_name(const std::string& name) {
  for (auto& n : nodes_) {
    if (n.info.name == name) return n;
  }
  throw RuntimeError("no runtime node named '" + name + "'");
}

MultiNodeRuntime::Node* MultiNodeRuntime::locate(const std::string& runtime_id) {
  {
    std::lock_guard lock(mu_);
    if (auto it = where_.find(runtime_id); it != where_.end()) return &nodes_[it->second];
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    try {
      if (nodes_[i].runtime->inspect(runtime_id).state == InstanceState::absent) continue;
    } catch (const RuntimeError&) {
      continue;  // unreachable node: the instance may be there, but we cannot use it now
    }
    std::lock_guard lock(mu_);
    where_[runtime_id] = i;
    return &nodes_[i];
  }
  return nullptr;
}

MultiNodeRuntime::Node& MultiNodeRuntime::locate_or_throw(const std::string& runtime_id) {
  auto* n = locate(runtime_id);
  if (!n) throw RuntimeError("no such instance on any node: " + runtime_id);
  return *n;
}

std::string MultiNodeRuntime::create(const RuntimeSpec& spec) {
  if (spec.node.empty() && nodes_.size() > 1)
    throw RuntimeError("create " + spec.device_id + ": no node chosen");
  auto& node = spec.node.empty() ? nodes_.front() : by_name(spec.node);
  auto id = node.runtime->create(spec);
  std::lock_guard lock(mu_);
  where_[id] = static_cast<size_t>(&node - nodes_.data());
  return id;
}

AdbEndpoint MultiNodeRuntime::start(const std::string& id) {
  return locate_or_throw(id).runtime->start(id);
}

void MultiNodeRuntime::stop(const std::string& id, std::chrono::milliseconds grace) {
  locate_or_throw(id).runtime->stop(id, grace);
}

AdbEndpoint MultiNodeRuntime::restart(const std::string& id, std::chrono::milliseconds grace) {
  return locate_or_throw(id).runtime->restart(id, grace);
}

void MultiNodeRuntime::remove(const std::string& id) {
  auto* n = locate(id);
  if (!n) return;  // absent everywhere: nothing to do
  n->runtime->remove(id);
  std::lock_guard lock(mu_);
  where_.erase(id);
}

InstanceStatus MultiNodeRuntime::inspect(const std::string& id) {
  auto* n = locate(id);
  return n ? n->runtime->inspect(id) : InstanceStatus{};
}

std::string MultiNodeRuntime::logs(const std::string& id, size_t max_bytes) {
  return locate_or_throw(id).runtime->logs(id, max_bytes);
}

std::vector<std::string> MultiNodeRuntime::list() {
  std::vector<std::string> all;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    try {
      for (auto& id : nodes_[i].runtime->list()) {
        {
          std::lock_guard lock(mu_);
          where_[id] = i;
        }
        all.push_back(std::move(id));
      }
    } catch (const RuntimeError& e) {
      log_event(spdlog::level::warn, "runtime", "node not listed",
                {{"node", nodes_[i].info.name}, {"error", e.what()}});
    }
  }
  return all;
}

std::string MultiNodeRuntime::node_of(const std::string& id) {
  auto* n = locate(id);
  return n ? n->info.name : std::string();
}

std::vector<NodeInfo> MultiNodeRuntime::nodes() {
  std::vector<NodeInfo> out;
  for (const auto& n : nodes_) out.push_back(n.info);
  return out;
}

std::string MultiNodeRuntime::snapshot(const std::string& id, const std::string& snapshot_id) {
  return locate_or_throw(id).runtime->snapshot(id, snapshot_id);
}

void MultiNodeRuntime::restore(const std::string& id, const std::string& snapshot_id) {
  locate_or_throw(id).runtime->restore(id, snapshot_id);
}

void MultiNodeRuntime::remove_snapshot(const std::string& snapshot_id) {
  for (auto& n : nodes_) n.runtime->remove_snapshot(snapshot_id);
}

}  // namespace cp::runtime
