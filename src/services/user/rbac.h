#pragma once
// Role-based access control rules. Permissions are "resource:action" strings; "resource:*" and
// "*" are wildcards (matching is cp::http::permission_matches). The built-in roles and the
// permission catalogue are seeded by migrations/001_users.sql; this file holds the rules.
#include <string>
#include <string_view>
#include <vector>

#include "core/identity.h"

namespace cp::user {

inline constexpr std::string_view kSuperAdminRole = "super_admin";
inline constexpr std::string_view kAdminRole = "admin";
inline constexpr std::string_view kUserRole = "user";  // given to every registered user

// "device:create", "device:*" or "*"; lower-case letters, digits, '_' and '-' in each part.
bool is_valid_permission(std::string_view permission);
// Role names: 2–64 of [a-z0-9_-], starting with a letter.
bool is_valid_role_name(std::string_view name);

// Sorted, de-duplicated union (what goes into the JWT "perms" claim).
std::vector<std::string> flatten_permissions(const std::vector<std::vector<std::string>>& per_role);

// True when every wanted permission is granted by one of `granted` (wildcards honoured).
bool covers_all(const std::vector<std::string>& granted, const std::vector<std::string>& wanted);

// Callers may only hand out what they hold: an API key's scopes, a role they assign, a role's
// permissions they edit. Stops an admin from minting super_admin.
bool may_grant(const http::Identity& caller, const std::vector<std::string>& permissions);

// A caller may act on the data of `owner_id` when it is their own or they hold `admin_permission`
// (the permission that reaches every user's data, e.g. "user:read").
bool may_access_user(const http::Identity& caller, std::string_view owner_id,
                     std::string_view admin_permission);

}  // namespace cp::user
