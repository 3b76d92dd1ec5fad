// choose_node (pure placement over docker endpoints), parse_endpoints, and MultiNodeRuntime
// routing every call to the node that holds the instance.
#include "runtime/placement.h"

#include <gtest/gtest.h>

#include <map>

#include "runtime/multi_node_runtime.h"

namespace cp::runtime {
namespace {

NodeLoad node(const std::string& name, NodeCapacity cap, NodeUsage used, bool healthy = true) {
  return {{name, "unix:///" + name, cap}, used, healthy};
}
std::string chosen(const std::variant<std::string, NoRoom>& r) {
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r)
                                                : "NoRoom: " + std::get<NoRoom>(r).reason;
}

TEST(Placement, PicksTheNodeLeastFullAfterPlacing) {
  // a: 8 cores, 4 used -> (4+2)/8 = 0.75; b: 16 cores, 6 used -> 0.5 -> b.
  std::vector<NodeLoad> nodes{node("a", {0, 8, 0}, {2, 4, 1024}),
                              node("b", {0, 16, 0}, {3, 6, 1024})};
  EXPECT_EQ(chosen(choose_node(nodes, {2, 2048})), "b");
  // Memory decides when it is the fullest dimension: b's memory is nearly full.
  nodes[1].info.capacity.memory_mb = 4096;
  nodes[1].used.memory_mb = 1024;
  EXPECT_EQ(chosen(choose_node(nodes, {2, 2048})),
            "a");  // b would be 3072/4096 = 0.75 = a's 0.75 -> fewer devices: a
  nodes[1].used.memory_mb = 1536;
  EXPECT_EQ(chosen(choose_node(nodes, {2, 2048})), "a");  // b: 0.875
}

TEST(Placement, SkipsFullAndUnhealthyNodesAndSaysWhyNoneFits) {
  std::vector<NodeLoad> nodes{node("a", {2, 0, 0}, {2, 4, 4096}), node("b", {0, 4, 0}, {1, 3, 0}),
                              node("c", {0, 0, 0}, {0, 0, 0}, /*healthy=*/false)};
  auto r = choose_node(nodes, {2, 2048});
  ASSERT_TRUE(std::holds_alternative<NoRoom>(r));
  const auto& why = std::get<NoRoom>(r).reason;
  EXPECT_NE(why.find("a: 2 of 2 devices"), std::string::npos) << why;
  EXPECT_NE(why.find("b: 3 of 4 cores used"), std::string::npos) << why;
  EXPECT_NE(why.find("c: engine unreachable"), std::string::npos) << why;
  nodes[2].healthy = true;
  EXPECT_EQ(chosen(choose_node(nodes, {2, 2048})), "c");
  EXPECT_TRUE(std::holds_alternative<NoRoom>(choose_node({}, {1, 1})));
}

TEST(Placement, UnlimitedNodesSpreadByDeviceCountThenName) {
  std::vector<NodeLoad> nodes{node("b", {}, {1, 2, 2048}), node("a", {}, {1, 2, 2048}),
                              node("c", {}, {2, 4, 4096})};
  EXPECT_EQ(chosen(choose_node(nodes, {2, 2048})), "a");
  nodes[1].used.devices = 3;
  EXPECT_EQ(chosen(choose_node(nodes, {2, 2048})), "b");
}

TEST(Placement, ParsesEndpointList) {
  auto n = parse_endpoints({"east=unix:///run/a.sock", " tcp://10.0.0.2:2375 ", ""});
  ASSERT_EQ(n.size(), 2u);
  EXPECT_EQ(n[0].name, "east");
  EXPECT_EQ(n[0].endpoint, "unix:///run/a.sock");
  EXPECT_EQ(n[1].name, "node2");
  EXPECT_EQ(n[1].endpoint, "tcp://10.0.0.2:2375");
  EXPECT_THROW(parse_endpoints({"a=unix:///x", "a=unix:///y"}), std::invalid_argument);
  EXPECT_THROW(parse_endpoints({"bad name=unix:///x"}), std::invalid_argument);
  EXPECT_THROW(parse_endpoints({"a="}), std::invalid_argument);
}

// Records which node got which call.
class NamedRuntime final : public DeviceRuntime {
 public:
  explicit NamedRuntime(std::map<std::string, std::string>& log, std::string name)
      : log_(log), name_(std::move(name)) {}
  std::string kind() const override { return "docker"; }
  std::string create(const RuntimeSpec& spec) override {
    ids_[spec.device_id] = InstanceState::created;
    log_[spec.device_id] += name_ + ":create ";
    return spec.device_id;
  }
  AdbEndpoint start(const std::string& id) override {
    ids_.at(id) = InstanceState::running;
    log_[id] += name_ + ":start ";
    return {name_, 5555};
  }
  void stop(const std::string& id, std::chrono::milliseconds) override {
    ids_.at(id) = InstanceState::stopped;
  }
  AdbEndpoint restart(const std::string& id, std::chrono::milliseconds) override {
    return start(id);
  }
  void remove(const std::string& id) override { ids_.erase(id); }
  InstanceStatus inspect(const std::string& id) override {
    auto it = ids_.find(id);
    return {it == ids_.end() ? InstanceState::absent : it->second, {}, "", 0, {}};
  }
  std::string logs(const std::string&, size_t) override { return name_; }
  std::vector<std::string> list() override {
    std::vector<std::string> out;
    for (const auto& [id, _] : ids_) out.push_back(id);
    return out;
  }
  std::string snapshot(const std::string& id, const std::string& sid) override {
    log_[id] += name_ + ":snapshot ";
    return name_ + "/" + sid;
  }
  void remove_snapshot(const std::string& sid) override { log_[sid] += name_ + ":rmsnap "; }

 private:
  std::map<std::string, std::string>& log_;
  std::string name_;
  std::map<std::string, InstanceState> ids_;
};

TEST(MultiNodeRuntime, RoutesEveryCallToTheChosenNode) {
  std::map<std::string, std::string> log;
  std::vector<MultiNodeRuntime::Node> nodes;
  nodes.push_back({{"a", "unix:///a", {}}, std::make_unique<NamedRuntime>(log, "a")});
  nodes.push_back({{"b", "unix:///b", {}}, std::make_unique<NamedRuntime>(log, "b")});
  MultiNodeRuntime rt(std::move(nodes));
  EXPECT_EQ(rt.kind(), "docker");
  ASSERT_EQ(rt.nodes().size(), 2u);
  RuntimeSpec s;
  s.device_id = "dev_1";
  EXPECT_THROW(rt.create(s), RuntimeError) << "two nodes and none chosen";
  s.node = "b";
  rt.create(s);
  EXPECT_EQ(rt.start("dev_1").host, "b");
  EXPECT_EQ(rt.node_of("dev_1"), "b");
  EXPECT_EQ(rt.snapshot("dev_1", "snp_1"), "b/snp_1");
  EXPECT_EQ(log["dev_1"], "b:create b:start b:snapshot ");
  EXPECT_EQ(rt.list(), std::vector<std::string>{"dev_1"});
  rt.remove_snapshot("snp_1");
  EXPECT_EQ(log["snp_1"], "a:rmsnap b:rmsnap ");
  s.node = "nowhere";
  s.device_id = "dev_2";
  EXPECT_THROW(rt.create(s), RuntimeError);
  EXPECT_EQ(rt.inspect("dev_2").state, InstanceState::absent);
  EXPECT_THROW(rt.start("dev_2"), RuntimeError);
  rt.remove("dev_1");
  EXPECT_EQ(rt.inspect("dev_1").state, InstanceState::absent);
  rt.remove("dev_1");  // absent: no-op
}

// After a restart of the service the cache is empty: the node is found by asking.
TEST(MultiNodeRuntime, FindsInstancesItDidNotCreate) {
  std::map<std::string, std::string> log;
  auto b = std::make_unique<NamedRuntime>(log, "b");
  RuntimeSpec s;
  s.device_id = "dev_old";
  b->create(s);
  std::vector<MultiNodeRuntime::Node> nodes;
  nodes.push_back({{"a", "", {}}, std::make_unique<NamedRuntime>(log, "a")});
  nodes.push_back({{"b", "", {}}, std::move(b)});
  MultiNodeRuntime rt(std::move(nodes));
  EXPECT_EQ(rt.node_of("dev_old"), "b");
  EXPECT_EQ(rt.start("dev_old").host, "b");
  EXPECT_EQ(rt.logs("dev_old", 10), "b");
}

}  // namespace
}  // namespace cp::runtime
