#include "services/user/passwords.h"

#include <gtest/gtest.h>

namespace cp::user {
namespace {

TEST(PasswordPolicy, AcceptsAReasonablePassword) {
  EXPECT_FALSE(password_policy_violation("correct horse 42", "alice", "alice@example.com"));
}

TEST(PasswordPolicy, RefusesWeakPasswords) {
  EXPECT_TRUE(password_policy_violation("short1", "alice", "a@x.io"));
  EXPECT_TRUE(password_policy_violation("onlyletterslong", "alice", "a@x.io"));
  EXPECT_TRUE(password_policy_violation("12345678901234", "alice", "a@x.io"));
  EXPECT_TRUE(password_policy_violation(std::string(129, 'a') + "1", "alice", "a@x.io"));
  EXPECT_TRUE(password_policy_violation("Alice12345678", "alice12345678", "a@x.io"));
  EXPECT_TRUE(password_policy_violation("bobby1234567", "alice", "bobby1234567@x.io"));
  EXPECT_TRUE(password_policy_violation("Password123", "alice", "a@x.io"));
}

TEST(PasswordHasher, HashesWithArgon2idAndVerifies) {
  PasswordHasher hasher(Argon2Limits::fastest_for_tests());
  auto hash = hasher.hash("correct horse 42");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(hasher.verify("correct horse 42", hash));
  EXPECT_FALSE(hasher.verify("correct horse 43", hash));
  EXPECT_FALSE(hasher.verify("correct horse 42", ""));
  EXPECT_FALSE(hasher.verify("correct horse 42", "not-a-hash"));
  EXPECT_NE(hasher.hash("correct horse 42"), hash) << "salt must differ";
}

TEST(GeneratedPassword, SatisfiesPolicyAndDiffers) {
  auto a = generate_password();
  EXPECT_FALSE(password_policy_violation(a, "admin", ""));
  EXPECT_NE(a, generate_password());
}

}  // namespace
}  // namespace cp::user
