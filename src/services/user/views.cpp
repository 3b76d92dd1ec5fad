#include "services/user/views.h"


#include "core/ids.h"
#include "services/user/crypto.h"

namespace cp::user {
namespace {

boost::json::array strings(const std::vector<std::string>& items) {
  return boost::json::array(items.begin(), items.end());
}

boost::json::value opt_time(const std::optional<int64_t>& ms) {
  return ms ? boost::json::value(cp::to_rfc3339(*ms)) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object user_json(const User& u) {
  return {{"id", u.id},
          {"email", u.email},
          {"username", u.username},
          {"display_name", u.display_name},
          {"status", u.status},
          {"roles", strings(u.roles)},
          {"totp_enabled", u.totp_enabled},
          {"created_at", cp::to_rfc3339(u.created_at)},
          {"updated_at", cp::to_rfc3339(u.updated_at)}};
}

boost::json::object role_json(const Role& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"description", r.description},
          {"builtin", r.builtin},
          {"permissions", strings(r.permissions)},
          {"created_at", cp::to_rfc3339(r.created_at)},
          {"updated_at", cp::to_rfc3339(r.updated_at)}};
}

boost::json::object api_key_json(const ApiKeyRecord& k) {
  return {{"id", k.id},
          {"name", k.name},
          {"prefix", "cpk_" + k.prefix},
          {"scopes", strings(k.scopes)},
          {"created_at", cp::to_rfc3339(k.created_at)},
          {"expires_at", opt_time(k.expires_at)},
          {"last_used_at", opt_time(k.last_used_at)},
          {"revoked_at", opt_time(k.revoked_at)}};
}

boost::json::object audit_json(const AuditEntry& e) {
  boost::system::error_code ec;
  auto details = boost::json::parse(e.details, ec);
  return {{"id", e.id},
          {"time", cp::to_rfc3339(e.created_at)},
          {"actor_id", e.actor_id ? boost::json::value(*e.actor_id) : boost::json::value(nullptr)},
          {"action", e.action},
          {"target_type", e.target_type},
          {"target_id", e.target_id},
          {"outcome", e.outcome},
          {"client_ip", e.client_ip},
          {"details", ec ? boost::json::value(boost::json::object{}) : details}};
}

boost::json::object quota_json(const Quota& q) {
  return {{"user_id", q.user_id},
          {"max_devices", q.max_devices},
          {"max_cpu_cores", q.max_cpu_cores},
          {"max_memory_mb", q.max_memory_mb},
          {"max_device_hours", q.max_device_hours},
          {"is_default", q.is_default}};
}

boost::json::object session_json(const SessionTokens& s) {
  return {{"access_token", s.access_token},
          {"refresh_token", s.refresh_token},
          {"token_type", "Bearer"},
          {"expires_in", s.expires_in},
          {"user", user_json(s.user)}};
}

int64_t page_limit(const http::RequestContext& ctx) {
  return ctx.query_int("limit", 50, 1, 100);
}

std::string page_cursor(const http::RequestContext& ctx) {
  auto text = ctx.query("cursor");
  if (!text || text->empty()) {
    return "";
  }
  auto id = base64url_decode(*text);
  if (!id || id->empty()) {
    throw http::bad_request("cursor", "is not a cursor returned by this list");
  }
  return *id;
}

std::string encode_cursor(const std::string& last_id) {
  return base64url_encode(last_id);
}

RequestMeta request_meta(const http::RequestContext& ctx) {
  return RequestMeta{ctx.client_ip, ctx.request_id};
}

}  // namespace cp::user
