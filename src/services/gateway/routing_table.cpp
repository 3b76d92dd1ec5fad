#include "services/gateway/routing_table.h"

namespace cp::gateway {

const std::map<std::string, std::string, std::less<>>& api_prefix_owners() {
  static const std::map<std::string, std::string, std::less<>> owners{
      {"auth", "user"},
      {"users", "user"},
      {"roles", "user"},
      {"permissions", "user"},
      {"api-keys", "user"},
      {"audit", "user"},
      {"quotas", "user"},
      {"devices", "device"},
      {"templates", "device"},
      {"snapshots", "device"},
      {"nodes", "device"},
      {"batch", "device"},
      {"apps", "app"},
      {"installs", "app"},
      {"market", "app"},
      {"scheduler", "scheduler"},
      {"tasks", "scheduler"},
      {"billing", "billing"},
      {"plans", "billing"},
      {"orders", "billing"},
      {"payments", "billing"},
      {"invoices", "billing"},
      {"usage", "billing"},
      {"balances", "billing"},
      {"notifications", "notification"},
      {"media", "media"},
      {"streams", "media"},
      {"recordings", "media"},
      {"system", "system"},  // the gateway's own API (system_service.h)
  };
  return owners;
}

std::optional<std::string> owner_of(std::string_view path) {
  constexpr std::string_view prefix = "/api/v1/";
  if (path.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto rest = path.substr(prefix.size());
  auto first = rest.substr(0, rest.find('/'));
  // A device's stream and recordings are the media service's: /api/v1/devices/{id}/stream...,
  // /api/v1/devices/{id}/recordings...
  if (first == "devices" && first.size() < rest.size()) {
    auto after_id = rest.substr(first.size() + 1);
    const auto slash = after_id.find('/');
    if (slash != std::string_view::npos) {
      auto sub = after_id.substr(slash + 1);
      sub = sub.substr(0, sub.find('/'));
      if (sub == "stream" || sub == "recordings") return "media";
    }
  }
  const auto& owners = api_prefix_owners();
  auto it = owners.find(first);
  if (it == owners.end()) return std::nullopt;
  return it->second;
}

}  // namespace cp::gateway
