#include "services/user/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace cp::user {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

constexpr std::array<std::string_view, 8> kNotoriousPasswords = {
    "password123", "1234567890a", "qwerty12345", "password1234",
    "letmein1234", "admin123456", "welcome1234", "iloveyou123"};

void ensure_sodium() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

}  // namespace

std::optional<std::string> password_policy_violation(std::string_view password,
                                                     std::string_view username,
                                                     std::string_view email,
                                                     const PasswordPolicy& policy) {
  if (password.size() < policy.min_length) {
    return "must be at least " + std::to_string(policy.min_length) + " characters long";
  }
  if (password.size() > policy.max_length) {
    return "must be at most " + std::to_string(policy.max_length) + " characters long";
  }
  bool has_letter = std::any_of(password.begin(), password.end(),
                                [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
  bool has_digit = std::any_of(password.begin(), password.end(),
                               [](unsigned char c) { return std::isdigit(c); });
  if (!has_letter || !has_digit) {
    return "must contain at least one letter and one digit";
  }
  std::string pw = lower(password);
  auto local_part = email.substr(0, email.find('@'));
  if ((!username.empty() && pw == lower(username)) ||
      (!local_part.empty() && pw == lower(local_part))) {
    return "must not be the username or email";
  }
  if (std::find(kNotoriousPasswords.begin(), kNotoriousPasswords.end(), pw) !=
      kNotoriousPasswords.end()) {
    return "is too common";
  }
  return std::nullopt;
}

Argon2Limits Argon2Limits::fastest_for_tests() {
  return Argon2Limits{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

std::string PasswordHasher::hash(std::string_view password) const {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), limits_.ops_limit,
                            limits_.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("Argon2id hashing ran out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view password, const std::string& stored_hash) const {
  ensure_sodium();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::burn_verification_time(std::string_view password) const {
  // Hashing with our own limits costs the same as verifying a hash made with them.
  (void)hash(password);
}

std::string generate_password() {
  ensure_sodium();
  static constexpr std::string_view alphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    std::string pw;
    for (int i = 0; i < 20; ++i) {
      pw.push_back(alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))]);
    }
    if (!password_policy_violation(pw, "", "")) {
      return pw;
    }
  }
}

}  // namespace cp::user
