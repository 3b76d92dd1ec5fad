#include "services/user/admin.h"

#include <algorithm>
#include <set>

#include "core/ids.h"
#include "core/problem.h"
#include "services/user/audit.h"
#include "services/user/events.h"
#include "services/user/rbac.h"
#include "services/user/store.h"

namespace cp::user {
namespace {

// Only a super_admin may change a super_admin (admins hold user:* but not "*").
void guard_target(const http::Identity& caller, const User& target) {
  bool target_is_super =
      std::find(target.roles.begin(), target.roles.end(), kSuperAdminRole) != target.roles.end();
  if (target_is_super && !caller.has_permission("*") && caller.user_id != target.id) {
    throw http::forbidden("Only a super_admin may change a super_admin.", "protected_user");
  }
}

// Another user's record: reachable only with the admin permission; otherwise it does not exist.
User require_reachable_user(db::Executor& ex, const http::Identity& caller,
                            const std::string& user_id, std::string_view admin_permission) {
  if (!may_access_user(caller, user_id, admin_permission)) {
    throw http::not_found("No such user.", "user_not_found");
  }
  return require_user(ex, user_id);
}

Role require_grantable_role(db::Executor& ex, const http::Identity& caller,
                            const std::string& name) {
  auto role = store::find_role(ex, name);
  if (!role) {
    throw http::bad_request("roles", "No role named '" + name + "'.", "unknown_role");
  }
  if (!may_grant(caller, role->permissions)) {
    throw http::forbidden(
        "You cannot grant role '" + role->name + "': it holds permissions you lack.",
        "escalation_denied");
  }
  return *role;
}

void check_permissions(const http::Identity& caller, const std::vector<std::string>& permissions) {
  for (const auto& p : permissions) {
    if (!is_valid_permission(p)) {
      throw http::bad_request("permissions", "'" + p + "' is not resource:action.",
                              "invalid_permission");
    }
  }
  if (!may_grant(caller, permissions)) {
    throw http::forbidden("A role may only hold permissions you hold yourself.",
                          "escalation_denied");
  }
}

}  // namespace

User admin_create_user(UserContext& ctx, const http::Identity& caller, const CreateUserInput& in,
                       const RequestMeta& meta) {
  const std::string hash = check_new_account(ctx, in.account);
  return ctx.db.transaction([&](db::Transaction& tx) {
    const int64_t now = ctx.now_ms();
    User user = insert_new_account(tx, in.account, hash, now);
    auto roles = in.roles.empty() ? std::vector<std::string>{std::string(kUserRole)} : in.roles;
    for (const auto& name : roles) {
      store::assign_role(tx, user.id, require_grantable_role(tx, caller, name).id, now);
    }
    user.roles = store::user_role_names(tx, user.id);
    emit(tx, ctx, user_registered_event(user));
    record_audit(tx,
                 {"user.created",
                  caller.user_id,
                  "user",
                  user.id,
                  "success",
                  meta.client_ip,
                  {{"username", user.username}}},
                 now);
    return user;
  });
}

User update_user(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                 const UserPatch& patch, const RequestMeta& meta) {
  return ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_reachable_user(tx, caller, user_id, "user:update");
    guard_target(caller, user);
    std::vector<std::string> changed;
    if (patch.display_name && *patch.display_name != user.display_name) {
      user.display_name = *patch.display_name;
      changed.push_back("display_name");
    }
    if (patch.email && normalize_email(*patch.email) != user.email) {
      user.email = normalize_email(*patch.email);
      if (store::email_taken(tx, user.email, user.id)) {
        throw http::conflict("This email is already registered.", "email_taken", "email");
      }
      changed.push_back("email");
    }
    if (!changed.empty()) {
      const int64_t now = ctx.now_ms();
      store::update_profile(tx, user.id, user.display_name, user.email, now);
      user.updated_at = now;
      emit(tx, ctx, user_updated_event(user, changed));
      record_audit(tx,
                   {"user.updated", caller.user_id, "user", user.id, "success", meta.client_ip, {}},
                   now);
    }
    return user;
  });
}

User set_user_enabled(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                      bool enabled, const RequestMeta& meta) {
  if (caller.user_id == user_id) {
    throw http::conflict("You cannot disable or enable yourself.", "self_status_change");
  }
  return ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_user(tx, user_id);
    guard_target(caller, user);
    const int64_t now = ctx.now_ms();
    user.status = std::string(enabled ? kStatusActive : kStatusDisabled);
    store::set_status(tx, user.id, user.status, now);
    if (!enabled) {
      store::revoke_user_sessions(tx, user.id, now);
    }
    emit(tx, ctx, user_updated_event(user, {"status"}));
    record_audit(tx,
                 {enabled ? "user.enabled" : "user.disabled",
                  caller.user_id,
                  "user",
                  user.id,
                  "success",
                  meta.client_ip,
                  {}},
                 now);
    return user;
  });
}

void delete_user(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                 const RequestMeta& meta) {
  if (caller.user_id == user_id) {
    throw http::conflict("You cannot delete yourself.", "self_delete");
  }
  ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_user(tx, user_id);
    guard_target(caller, user);
    const int64_t now = ctx.now_ms();
    store::set_status(tx, user.id, kStatusDeleted, now);
    store::revoke_user_sessions(tx, user.id, now);
    emit(tx, ctx, user_deleted_event(user.id));
    record_audit(
        tx, {"user.deleted", caller.user_id, "user", user.id, "success", meta.client_ip, {}}, now);
  });
}

Role create_role(UserContext& ctx, const http::Identity& caller, const RoleInput& in,
                 const RequestMeta& meta) {
  if (!is_valid_role_name(in.name)) {
    throw http::bad_request("name", "2-64 of a-z, 0-9, '_' or '-', starting with a letter");
  }
  check_permissions(caller, in.permissions);
  return ctx.db.transaction([&](db::Transaction& tx) {
    if (store::find_role(tx, in.name)) {
      throw http::conflict("A role with this name exists.", "role_exists", "name");
    }
    const int64_t now = ctx.now_ms();
    Role role{cp::new_id("role"), in.name, in.description, false, in.permissions, now, now};
    std::sort(role.permissions.begin(), role.permissions.end());
    role.permissions.erase(std::unique(role.permissions.begin(), role.permissions.end()),
                           role.permissions.end());
    store::insert_role(tx, role);
    record_audit(tx,
                 {"role.created",
                  caller.user_id,
                  "role",
                  role.id,
                  "success",
                  meta.client_ip,
                  {{"name", role.name}}},
                 now);
    return role;
  });
}

Role update_role(UserContext& ctx, const http::Identity& caller, const std::string& role_id,
                 const std::optional<std::string>& description,
                 const std::optional<std::vector<std::string>>& permissions,
                 const RequestMeta& meta) {
  if (permissions) {
    check_permissions(caller, *permissions);
  }
  return ctx.db.transaction([&](db::Transaction& tx) {
    auto role = store::find_role(tx, role_id);
    if (!role) {
      throw http::not_found("No such role.", "role_not_found");
    }
    if (role->builtin && permissions) {
      throw http::conflict("Built-in roles keep their permissions.", "builtin_role");
    }
    // Editing a role you could not grant would let you change what others hold beyond your reach.
    if (!may_grant(caller, role->permissions)) {
      throw http::forbidden("This role holds permissions you lack.", "escalation_denied");
    }
    if (description) {
      role->description = *description;
    }
    if (permissions) {
      std::set<std::string> unique(permissions->begin(), permissions->end());
      role->permissions.assign(unique.begin(), unique.end());
    }
    role->updated_at = ctx.now_ms();
    store::update_role(tx, *role);
    record_audit(tx,
                 {"role.updated", caller.user_id, "role", role->id, "success", meta.client_ip, {}},
                 role->updated_at);
    return *role;
  });
}

void delete_role(UserContext& ctx, const http::Identity& caller, const std::string& role_id,
                 const RequestMeta& meta) {
  ctx.db.transaction([&](db::Transaction& tx) {
    auto role = store::find_role(tx, role_id);
    if (!role) {
      throw http::not_found("No such role.", "role_not_found");
    }
    if (role->builtin) {
      throw http::conflict("Built-in roles cannot be deleted.", "builtin_role");
    }
    store::delete_role(tx, role->id);
    record_audit(tx,
                 {"role.deleted",
                  caller.user_id,
                  "role",
                  role->id,
                  "success",
                  meta.client_ip,
                  {{"name", role->name}}},
                 ctx.now_ms());
  });
}

User assign_role(UserContext& ctx, const http::Identity& caller, const std::string& user_id,
                 const std::string& role_name, bool assign, const RequestMeta& meta) {
  return ctx.db.transaction([&](db::Transaction& tx) {
    User user = require_user(tx, user_id);
    Role role = require_grantable_role(tx, caller, role_name);
    const int64_t now = ctx.now_ms();
    bool changed = assign ? store::assign_role(tx, user.id, role.id, now) : false;
    if (!assign) {
      if (role.name == kSuperAdminRole && store::count_users_with_role(tx, role.id) <= 1) {
        throw http::conflict("The last super_admin keeps the role.", "last_super_admin");
      }
      changed = store::unassign_role(tx, user.id, role.id);
    }
    user.roles = store::user_role_names(tx, user.id);
    if (changed) {
      emit(tx, ctx, user_updated_event(user, {"roles"}));
      record_audit(tx,
                   {assign ? "role.assigned" : "role.unassigned",
                    caller.user_id,
                    "user",
                    user.id,
                    "success",
                    meta.client_ip,
                    {{"role", role.name}}},
                   now);
    }
    return user;
  });
}

}  // namespace cp::user
