#pragma once
// Who is calling. Established once at the gateway (JWT or API key) and passed to services
// in-process as a value, or over HTTP in a header signed with the internal secret
// (see identity_codec.h), so a client can never forge it.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace cp::http {

struct Identity {
  std::string user_id;                   // usr_...
  std::vector<std::string> roles;        // super_admin, admin, user, custom
  std::vector<std::string> permissions;  // resource:action; "*" grants everything
  std::string auth_method;               // "jwt", "api_key", "internal"
  std::string credential_id;             // token family id or api key id
  std::vector<std::string> scopes;       // api-key scopes (empty = all of the user's permissions)

  bool has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
  bool is_admin() const { return has_role("super_admin") || has_role("admin"); }
  // "device:create" is granted by "device:create", "device:*" or "*"; an API key's scopes
  // narrow the user's permissions further.
  bool has_permission(std::string_view permission) const;
};

bool permission_matches(std::string_view granted, std::string_view wanted);

}  // namespace cp::http
