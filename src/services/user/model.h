#pragma once
// The user service's records as the store reads and writes them (times: unix milliseconds).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/user/lockout.h"

namespace cp::user {

inline constexpr std::string_view kStatusActive = "active";
inline constexpr std::string_view kStatusDisabled = "disabled";
inline constexpr std::string_view kStatusDeleted = "deleted";

struct User {
  std::string id;
  std::string email;
  std::string username;
  std::string display_name;
  std::string status;  // active | disabled | deleted
  bool totp_enabled = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<std::string> roles;  // role names, sorted
};

// What login needs beyond the public record.
struct UserSecrets {
  std::string password_hash;
  std::optional<std::string> totp_secret;
  std::optional<int64_t> totp_last_step;
  LoginFailureState failures;
};

struct Role {
  std::string id;
  std::string name;
  std::string description;
  bool builtin = false;
  std::vector<std::string> permissions;  // sorted
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct PermissionInfo {
  std::string name;
  std::string description;
};

struct ApiKeyRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string prefix;
  std::vector<std::string> scopes;
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

struct AuditEntry {
  std::string id;
  int64_t created_at = 0;
  std::optional<std::string> actor_id;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string outcome = "success";
  std::string client_ip;
  std::string details = "{}";  // JSON object text
};

// A password reset token as stored (the token itself is only in the mail; the row has its hash).
struct ResetTokenRecord {
  std::string id;
  std::string user_id;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> used_at;
  std::optional<int64_t> invalidated_at;
};

struct Quota {
  std::string user_id;
  int64_t max_devices = 0;
  int64_t max_cpu_cores = 0;
  int64_t max_memory_mb = 0;
  int64_t max_device_hours = 0;
  bool is_default = true;  // no per-user row: the configured defaults apply
};

// One page of a list and the cursor of the next page (empty when this is the last one).
template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;
};

}  // namespace cp::user
