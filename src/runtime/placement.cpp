#include "runtime/placement.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <tuple>

namespace cp::runtime {

namespace {

// Share of `capacity` in use after adding `more`; 0 for an unlimited dimension.
double share(int64_t used, int64_t more, int64_t capacity) {
  return capacity > 0 ? static_cast<double>(used + more) / static_cast<double>(capacity) : 0.0;
}

bool fits(int64_t used, int64_t more, int64_t capacity) {
  return capacity <= 0 || used + more <= capacity;
}

}  // namespace

std::variant<std::string, NoRoom> choose_node(const std::vector<NodeLoad>& nodes,
                                              const Demand& demand) {
  const NodeLoad* best = nullptr;
  std::tuple<double, int64_t, std::string> best_key;
  std::string why;
  for (const auto& n : nodes) {
    const auto& cap = n.info.capacity;
    const auto& u = n.used;
    std::string full;
    if (!n.healthy) {
      full = "engine unreachable";
    } else if (!fits(u.devices, 1, cap.max_devices)) {
      full = std::to_string(u.devices) + " of " + std::to_string(cap.max_devices) + " devices";
    } else if (!fits(u.cpu_cores, demand.cpu_cores, cap.cpu_cores)) {
      full = std::to_string(u.cpu_cores) + " of " + std::to_string(cap.cpu_cores) + " cores used";
    } else if (!fits(u.memory_mb, demand.memory_mb, cap.memory_mb)) {
      full = std::to_string(u.memory_mb) + " of " + std::to_string(cap.memory_mb) + " MB used";
    }
    if (!full.empty()) {
      why += (why.empty() ? "" : "; ") + n.info.name + ": " + full;
      continue;
    }
    double fullest = std::max({share(u.devices, 1, cap.max_devices),
                               share(u.cpu_cores, demand.cpu_cores, cap.cpu_cores),
                               share(u.memory_mb, demand.memory_mb, cap.memory_mb)});
    std::tuple<double, int64_t, std::string> key{fullest, u.devices, n.info.name};
    if (!best || key < best_key) {
      best = &n;
      best_key = key;
    }
  }
  if (best) return best->info.name;
  if (nodes.empty()) return NoRoom{"no runtime node is configured"};
  return NoRoom{"no node has room for " + std::to_string(demand.cpu_cores) + " cores and " +
                std::to_string(demand.memory_mb) + " MB (" + why + ")"};
}

std::vector<NodeInfo> parse_endpoints(const std::vector<std::string>& entries) {
  std::vector<NodeInfo> out;
  std::set<std::string> names;
  for (const auto& raw : entries) {
    auto entry = raw;
    while (!entry.empty() && entry.front() == ' ') entry.erase(0, 1);
    while (!entry.empty() && entry.back() == ' ') entry.pop_back();
    if (entry.empty()) continue;
    NodeInfo n;
    auto eq = entry.find('=');
    auto scheme = entry.find("://");
    if (eq != std::string::npos && (scheme == std::string::npos || eq < scheme)) {
      n.name = entry.substr(0, eq);
      n.endpoint = entry.substr(eq + 1);
    } else {
      n.name = "node" + std::to_string(out.size() + 1);
      n.endpoint = entry;
    }
    bool name_ok = !n.name.empty() && n.name.size() <= 63 &&
                   std::all_of(n.name.begin(), n.name.end(), [](char c) {
                     return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_';
                   });
    if (!name_ok)
      throw std::invalid_argument("device.docker.endpoints: bad node name in '" + raw + "'");
    if (n.endpoint.empty())
      throw std::invalid_argument("device.docker.endpoints: no engine URL in '" + raw + "'");
    if (!names.insert(n.name).second) {
      throw std::invalid_argument("device.docker.endpoints: node '" + n.name + "' is named twice");
    }
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace cp::runtime
