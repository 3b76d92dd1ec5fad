#pragma once
// Placement of devices over several container engines (docker endpoints). The device service
// keeps the load per node in its database (what its devices use) and asks choose_node() — a
// pure function — where a new device goes; the runtime then creates it on that node.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cp::runtime {

struct NodeCapacity {
  int64_t max_devices = 0;  // 0 = no limit on this dimension
  int64_t cpu_cores = 0;
  int64_t memory_mb = 0;
};

struct NodeInfo {
  std::string name;
  std::string endpoint;  // where its engine is reached (shown to admins)
  NodeCapacity capacity;
};

// What the devices placed on a node use.
struct NodeUsage {
  int64_t devices = 0;
  int64_t cpu_cores = 0;
  int64_t memory_mb = 0;
};

struct NodeLoad {
  NodeInfo info;
  NodeUsage used;
  bool healthy = true;  // false: never chosen (engine unreachable)
};

struct Demand {
  int64_t cpu_cores = 0;
  int64_t memory_mb = 0;
};

struct NoRoom {
  std::string reason;  // why no node can take the device, for the 409
};

// The node for a device needing `demand`: among the healthy nodes with room for it on every
// limited dimension, the one whose fullest dimension is least full after placing it (the
// share of devices, CPU and memory; an unlimited dimension counts as 0), then the one with
// the fewest devices, then by name. Nodes without any limit compare by device count alone.
std::variant<std::string, NoRoom> choose_node(const std::vector<NodeLoad>& nodes,
                                              const Demand& demand);

// `device.docker.endpoints`: "name=engine-url" entries (a bare URL is named node1, node2, ...).
// Throws std::invalid_argument naming the bad entry (duplicate or empty name, empty URL).
std::vector<NodeInfo> parse_endpoints(const std::vector<std::string>& entries);

}  // namespace cp::runtime
