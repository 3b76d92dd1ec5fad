#pragma once
// Administration of users and roles. Callers hold the route's permission already; the rules
// here stop privilege escalation (only grant what you hold; super_admin is touched only by a
// super_admin) and keep built-in roles intact.
#include <optional>
#include <string>
#include <vector>

#include "core/identity.h"
#include "services/user/accounts.h"

namespace cp::user {

struct CreateUserInput {
  RegisterInput account;
  std::vector<std::string> roles;  // names; default {"user"}
};
User admin_create_user(UserContext& ctx, const http::Identity& caller, const CreateUserInput& in,
                       const RequestMeta& meta);

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> email;
};
// Self-service (PATCH /users/me) and admin (PATCH /users/{id}) edits.
User update_user(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                 const UserPatch& patch, const RequestMeta& meta);

// Disabling revokes every session; the user cannot log in or refresh until enabled again.
User set_user_enabled(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                      bool enabled, const RequestMeta& meta);
void delete_user(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                 const RequestMeta& meta);

struct RoleInput {
  std::string name;
  std::string description;
  std::vector<std::string> permissions;
};
Role create_role(UserContext& ctx, const http::Identity& caller, const RoleInput& in,
                 const RequestMeta& meta);
Role update_role(UserContext& ctx, const http::Identity& caller, const std::string& role_id,
                 const std::optional<std::string>& description,
                 const std::optional<std::vector<std::string>>& permissions,
                 const RequestMeta& meta);
void delete_role(UserContext& ctx, const http::Identity& caller, const std::string& role_id,
                 const RequestMeta& meta);
User assign_role(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                 const std::string& role, bool assign, const RequestMeta& meta);

}  // namespace cp::user
