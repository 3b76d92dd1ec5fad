#pragma once
// JSON shapes of the user service's API (times as RFC 3339) and the paging helpers.
#include <boost/json.hpp>
#include <string>

#include "core/http_types.h"
#include "services/user/accounts.h"
#include "services/user/api_keys.h"
#include "services/user/model.h"

namespace cp::user {

boost::json::object user_json(const User& user);
boost::json::object role_json(const Role& role);
boost::json::object api_key_json(const ApiKeyRecord& key);
boost::json::object audit_json(const AuditEntry& entry);
boost::json::object quota_json(const Quota& quota);
boost::json::object session_json(const SessionTokens& session);

template <class T, class F>
boost::json::object page_json(const Page<T>& page, F&& to_json);

// ?limit= (1..100, default 50) → 400 naming `limit` when not a number in range.
int64_t page_limit(const http::RequestContext& ctx);
// ?cursor= is the base64url of the last id seen; 400 naming `cursor` when it does not decode.
std::string page_cursor(const http::RequestContext& ctx);
std::string encode_cursor(const std::string& last_id);

RequestMeta request_meta(const http::RequestContext& ctx);

template <class T, class F>
boost::json::object page_json(const Page<T>& page, F&& to_json) {
  boost::json::array items;
  for (const auto& item : page.items) {
    items.push_back(to_json(item));
  }
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] = page.next_cursor.empty()
                           ? boost::json::value(nullptr)
                           : boost::json::value(encode_cursor(page.next_cursor));
  return out;
}

}  // namespace cp::user
