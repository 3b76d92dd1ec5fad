#pragma once
// Password policy and Argon2id hashing (libsodium crypto_pwhash_str). Hashing is deliberately
// slow and blocking; handlers are synchronous and the server runs them off the I/O threads.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cp::user {

struct PasswordPolicy {
  size_t min_length = 10;
  size_t max_length = 128;  // Argon2 cost does not depend on length, but bodies should be bounded
};

// Why the password is refused, as a sentence for the problem document; nullopt when acceptable.
// Rules: length bounds; at least one letter and one digit; not the username or email local part;
// not one of a handful of notorious passwords.
std::optional<std::string> password_policy_violation(std::string_view password,
                                                     std::string_view username,
                                                     std::string_view email,
                                                     const PasswordPolicy& policy = {});

struct Argon2Limits {
  uint64_t ops_limit = 2;                     // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t mem_limit_bytes = 64 * 1024 * 1024;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
  // The cheapest limits libsodium accepts, for tests.
  static Argon2Limits fastest_for_tests();
};

class PasswordHasher {
 public:
  explicit PasswordHasher(Argon2Limits limits = {}) : limits_(limits) {}
  // "$argon2id$v=19$m=...,t=...,p=1$salt$hash" (self-describing: limits can change later).
  std::string hash(std::string_view password) const;
  bool verify(std::string_view password, const std::string& stored_hash) const;
  // Spends the time of one verification, so unknown usernames take as long as wrong passwords.
  void burn_verification_time(std::string_view password) const;

 private:
  Argon2Limits limits_;
};

// A random password that satisfies the policy (admin bootstrap and reset): 20 characters from
// an alphabet without look-alikes, with at least one letter and one digit.
std::string generate_password();

}  // namespace cp::user
