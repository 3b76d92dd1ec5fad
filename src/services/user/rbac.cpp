#include "services/user/rbac.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace cp::user {
namespace {

bool is_name_part(std::string_view part) {
  return !part.empty() && part.size() <= 64 &&
         std::all_of(part.begin(), part.end(), [](unsigned char c) {
           return std::islower(c) || std::isdigit(c) || c == '_' || c == '-';
         });
}

}  // namespace

bool is_valid_permission(std::string_view permission) {
  if (permission == "*") {
    return true;
  }
  auto colon = permission.find(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  auto resource = permission.substr(0, colon);
  auto action = permission.substr(colon + 1);
  return is_name_part(resource) && (action == "*" || is_name_part(action));
}

bool is_valid_role_name(std::string_view name) {
  return name.size() >= 2 && name.size() <= 64 &&
         std::islower(static_cast<unsigned char>(name[0])) && is_name_part(name);
}

std::vector<std::string> flatten_permissions(
    const std::vector<std::vector<std::string>>& per_role) {
  std::set<std::string> all;
  for (const auto& role : per_role) {
    all.insert(role.begin(), role.end());
  }
  return {all.begin(), all.end()};
}

bool covers_all(const std::vector<std::string>& granted, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return std::any_of(granted.begin(), granted.end(),
                       [&](const std::string& g) { return http::permission_matches(g, w); });
  });
}

bool may_grant(const http::Identity& caller, const std::vector<std::string>& permissions) {
  return std::all_of(permissions.begin(), permissions.end(),
                     [&](const std::string& p) { return caller.has_permission(p); });
}

bool may_access_user(const http::Identity& caller, std::string_view owner_id,
                     std::string_view admin_permission) {
  return caller.user_id == owner_id || caller.has_permission(admin_permission);
}

}  // namespace cp::user
