#pragma once
// Hiding secrets in configuration shown to people (the admin configuration view, start-up
// logs). Two rules, both applied:
//  - by key name: a key with a word (split at . _ -) such as password, secret, token, key,
//    credential or private is masked whole ("********"), unless its last word is a unit or a
//    count ("gateway.api_key_cache_ms" is a duration, not a key);
//  - by value: credentials inside URLs are masked wherever they appear, also in lists and in
//    keys with innocent names: "postgresql://cp:pw@db/x" -> "postgresql://cp:***@db/x", and
//    query or keyword parameters named like secrets ("?password=pw", "sslpassword=pw") -> ***.
#include <string>
#include <string_view>

namespace cp {

inline constexpr std::string_view kMaskedValue = "********";

// True when the key's name says its value is a secret.
bool is_secret_config_key(std::string_view key);
// The value with URL userinfo passwords and secret-named parameters replaced by "***".
std::string mask_credentials_in_value(std::string_view value);
// Both rules: "********" for a secret key with a non-empty value, else the value's masked form.
std::string mask_config_value(std::string_view key, std::string_view value);

}  // namespace cp
