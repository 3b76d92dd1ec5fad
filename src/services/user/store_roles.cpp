// roles, role_permissions, user_roles, permissions tables.
#include "services/user/store.h"

namespace cp::user::store {
namespace {

const std::string kListRoles =
    "SELECT id, name, description, builtin, created_at, updated_at FROM roles ORDER BY name";
const std::string kSelectRole =
    "SELECT id, name, description, builtin, created_at, updated_at FROM roles"
    " WHERE id = $1 OR name = $1";
const std::string kSelectRolePermissions =
    "SELECT permission FROM role_permissions WHERE role_id = $1 ORDER BY permission";
const std::string kInsertRole =
    "INSERT INTO roles (id, name, description, builtin, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
const std::string kUpdateRole = "UPDATE roles SET description = $2, updated_at = $3 WHERE id = $1";
const std::string kDeleteRolePermissions = "DELETE FROM role_permissions WHERE role_id = $1";
const std::string kInsertRolePermission =
    "INSERT INTO role_permissions (role_id, permission) VALUES ($1, $2)"
    " ON CONFLICT (role_id, permission) DO NOTHING";
const std::string kDeleteRoleAssignments = "DELETE FROM user_roles WHERE role_id = $1";
const std::string kDeleteRole = "DELETE FROM roles WHERE id = $1";
const std::string kListPermissions = "SELECT name, description FROM permissions ORDER BY name";
const std::string kUserRoleNames =
    "SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1"
    " ORDER BY r.name";
const std::string kUserPermissions =
    "SELECT DISTINCT rp.permission FROM user_roles ur"
    " JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = $1"
    " ORDER BY rp.permission";
const std::string kAssignRole =
    "INSERT INTO user_roles (user_id, role_id, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (user_id, role_id) DO NOTHING";
const std::string kUnassignRole = "DELETE FROM user_roles WHERE user_id = $1 AND role_id = $2";
const std::string kCountRoleUsers =
    "SELECT COUNT(*) AS n FROM user_roles ur JOIN users u ON u.id = ur.user_id"
    " WHERE ur.role_id = $1 AND u.status = 'active'";

std::vector<std::string> column_strings(const db::Result& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(r.text(0));
  }
  return out;
}

Role role_from_row(const db::Row& r, Executor& ex) {
  Role role{r.text("id"), r.text("name"),        r.text("description"), r.boolean("builtin"),
            {},           r.int64("created_at"), r.int64("updated_at")};
  role.permissions = column_strings(ex.exec(kSelectRolePermissions, {role.id}));
  return role;
}

void write_permissions(Executor& ex, const Role& role) {
  ex.exec(kDeleteRolePermissions, {role.id});
  for (const auto& p : role.permissions) {
    ex.exec(kInsertRolePermission, {role.id, p});
  }
}

}  // namespace

std::vector<Role> list_roles(Executor& ex) {
  std::vector<Role> roles;
  for (const auto& r : ex.exec(kListRoles)) {
    roles.push_back(role_from_row(r, ex));
  }
  return roles;
}

std::optional<Role> find_role(Executor& ex, const std::string& id_or_name) {
  auto rows = ex.exec(kSelectRole, {id_or_name});
  return rows.empty() ? std::nullopt : std::optional<Role>(role_from_row(rows[0], ex));
}

void insert_role(Executor& ex, const Role& role) {
  ex.exec(kInsertRole,
          {role.id, role.name, role.description, role.builtin, role.created_at, role.updated_at});
  write_permissions(ex, role);
}

void update_role(Executor& ex, const Role& role) {
  ex.exec(kUpdateRole, {role.id, role.description, role.updated_at});
  write_permissions(ex, role);
}

void delete_role(Executor& ex, const std::string& role_id) {
  ex.exec(kDeleteRoleAssignments, {role_id});
  ex.exec(kDeleteRolePermissions, {role_id});
  ex.exec(kDeleteRole, {role_id});
}

std::vector<PermissionInfo> list_permissions(Executor& ex) {
  std::vector<PermissionInfo> out;
  for (const auto& r : ex.exec(kListPermissions)) {
    out.push_back({r.text("name"), r.text("description")});
  }
  return out;
}

std::vector<std::string> user_role_names(Executor& ex, const std::string& user_id) {
  return column_strings(ex.exec(kUserRoleNames, {user_id}));
}

std::vector<std::string> user_permissions(Executor& ex, const std::string& user_id) {
  return column_strings(ex.exec(kUserPermissions, {user_id}));
}

bool assign_role(Executor& ex, const std::string& user_id, const std::string& role_id,
                 int64_t now) {
  return ex.exec(kAssignRole, {user_id, role_id, now}).affected() == 1;
}

bool unassign_role(Executor& ex, const std::string& user_id, const std::string& role_id) {
  return ex.exec(kUnassignRole, {user_id, role_id}).affected() == 1;
}

int64_t count_users_with_role(Executor& ex, const std::string& role_id) {
  return ex.exec(kCountRoleUsers, {role_id}).one().int64("n");
}

}  // namespace cp::user::store
