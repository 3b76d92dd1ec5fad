#include "services/user/rbac.h"

#include <gtest/gtest.h>

namespace cp::user {
namespace {

http::Identity caller(std::string id, std::vector<std::string> perms) {
  http::Identity i;
  i.user_id = std::move(id);
  i.permissions = std::move(perms);
  return i;
}

TEST(Rbac, PermissionFormat) {
  EXPECT_TRUE(is_valid_permission("device:create"));
  EXPECT_TRUE(is_valid_permission("device:*"));
  EXPECT_TRUE(is_valid_permission("*"));
  EXPECT_TRUE(is_valid_permission("api_key:revoke"));
  EXPECT_FALSE(is_valid_permission("device"));
  EXPECT_FALSE(is_valid_permission("Device:create"));
  EXPECT_FALSE(is_valid_permission(":create"));
  EXPECT_FALSE(is_valid_permission("device:"));
  EXPECT_FALSE(is_valid_permission("*:create"));
  EXPECT_FALSE(is_valid_permission("device:create'; DROP TABLE users;--"));
}

TEST(Rbac, RoleNames) {
  EXPECT_TRUE(is_valid_role_name("support_staff"));
  EXPECT_FALSE(is_valid_role_name("x"));
  EXPECT_FALSE(is_valid_role_name("1abc"));
  EXPECT_FALSE(is_valid_role_name("Admin"));
}

TEST(Rbac, FlattenDeduplicatesAndSorts) {
  EXPECT_EQ(flatten_permissions({{"b:x", "a:y"}, {"a:y", "c:z"}}),
            (std::vector<std::string>{"a:y", "b:x", "c:z"}));
}

TEST(Rbac, CoversAllHonoursWildcards) {
  EXPECT_TRUE(covers_all({"device:*"}, {"device:create", "device:read"}));
  EXPECT_FALSE(covers_all({"device:*"}, {"device:create", "app:read"}));
  EXPECT_TRUE(covers_all({"*"}, {"anything:at_all"}));
  EXPECT_TRUE(covers_all({}, {}));
}

TEST(Rbac, MayGrantOnlyWhatCallerHolds) {
  auto admin = caller("usr_a", {"user:*", "device:*", "role:assign"});
  EXPECT_TRUE(may_grant(admin, {"device:read", "user:read"}));
  EXPECT_FALSE(may_grant(admin, {"*"}));
  EXPECT_FALSE(may_grant(admin, {"billing:read"}));
  EXPECT_TRUE(may_grant(caller("usr_s", {"*"}), {"*"}));
  // A scoped API key narrows what its holder may grant.
  auto keyed = admin;
  keyed.scopes = {"device:read"};
  EXPECT_FALSE(may_grant(keyed, {"user:read"}));
}

TEST(Rbac, OwnershipOrAdminPermission) {
  auto alice = caller("usr_alice", {"device:read"});
  EXPECT_TRUE(may_access_user(alice, "usr_alice", "user:read"));
  EXPECT_FALSE(may_access_user(alice, "usr_bob", "user:read"));
  EXPECT_TRUE(may_access_user(caller("usr_admin", {"user:*"}), "usr_bob", "user:read"));
}

}  // namespace
}  // namespace cp::user
