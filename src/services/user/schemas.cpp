#include "services/user/schemas.h"

namespace cp::user {

using http::Schema;

namespace {
Schema time() {
  return Schema::string().format("date-time");
}
Schema strings() {
  return Schema::array(Schema::string(), 100000);
}
}  // namespace

Schema user_schema() {
  return Schema::record({{"id", Schema::string()},
                         {"email", Schema::string().format("email")},
                         {"username", Schema::string()},
                         {"display_name", Schema::string()},
                         {"status", Schema::string().one_of({"active", "disabled", "deleted"})},
                         {"roles", strings()},
                         {"totp_enabled", Schema::boolean()},
                         {"created_at", time()},
                         {"updated_at", time()}})
      .named("User");
}

Schema role_schema() {
  return Schema::record({{"id", Schema::string()},
                         {"name", Schema::string()},
                         {"description", Schema::string()},
                         {"builtin", Schema::boolean()},
                         {"permissions", strings()},
                         {"created_at", time()},
                         {"updated_at", time()}})
      .named("Role");
}

Schema permission_schema() {
  return Schema::record({{"name", Schema::string()}, {"description", Schema::string()}})
      .named("Permission");
}

namespace {
std::vector<std::pair<std::string, Schema>> api_key_members() {
  return {{"id", Schema::string()},
          {"name", Schema::string()},
          {"prefix", Schema::string().describe("Shown to tell keys apart; not a secret")},
          {"scopes", strings()},
          {"created_at", time()},
          {"expires_at", time().nullable()},
          {"last_used_at", time().nullable()},
          {"revoked_at", time().nullable()}};
}
}  // namespace

Schema api_key_schema() {
  return Schema::record(api_key_members()).named("ApiKey");
}

Schema created_api_key_schema() {
  auto members = api_key_members();
  members.emplace_back("key", Schema::string().describe("The secret; returned only here, once"));
  return Schema::record(std::move(members)).named("CreatedApiKey");
}

Schema audit_entry_schema() {
  return Schema::record({{"id", Schema::string()},
                         {"time", time()},
                         {"actor_id", Schema::string().nullable()},
                         {"action", Schema::string()},
                         {"target_type", Schema::string()},
                         {"target_id", Schema::string()},
                         {"outcome", Schema::string()},
                         {"client_ip", Schema::string()},
                         {"details", Schema::any()}})
      .named("AuditEntry");
}

Schema quota_schema() {
  return Schema::record({{"user_id", Schema::string()},
                         {"max_devices", Schema::integer()},
                         {"max_cpu_cores", Schema::integer()},
                         {"max_memory_mb", Schema::integer()},
                         {"max_device_hours", Schema::integer()},
                         {"is_default", Schema::boolean()}})
      .named("Quota");
}

Schema session_response_schema() {
  return Schema::record({{"access_token", Schema::string()},
                         {"refresh_token", Schema::string()},
                         {"token_type", Schema::string().one_of({"Bearer"})},
                         {"expires_in", Schema::integer().describe("Seconds")},
                         {"user", user_schema()}})
      .named("Session");
}

Schema totp_setup_schema() {
  return Schema::record({{"secret", Schema::string()}, {"otpauth_uri", Schema::string()}})
      .named("TotpSetup");
}

Schema identity_schema() {
  return Schema::record({{"sub", Schema::string()},
                         {"roles", strings()},
                         {"perms", strings()},
                         {"method", Schema::string()},
                         {"cred", Schema::string()},
                         {"scopes", strings()}})
      .named("Identity");
}

Schema list_of(Schema item) {
  return Schema::record({{"items", Schema::array(std::move(item), 100000)}});
}

}  // namespace cp::user
