#include "core/identity.h"

namespace cp::http {

bool permission_matches(std::string_view granted, std::string_view wanted) {
  if (granted == "*" || granted == wanted) {
    return true;
  }
  if (granted.size() >= 2 && granted.substr(granted.size() - 2) == ":*") {
    auto resource = granted.substr(0, granted.size() - 1);  // keeps the ':'
    return wanted.substr(0, resource.size()) == resource;
  }
  return false;
}

bool Identity::has_permission(std::string_view permission) const {
  auto granted = [&](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& g) { return permission_matches(g, permission); });
  };
  if (!granted(permissions)) {
    return false;
  }
  return scopes.empty() || granted(scopes);
}

}  // namespace cp::http
