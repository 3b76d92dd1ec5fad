#include "core/secret_mask.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace cp {
namespace {

std::vector<std::string> words_of(std::string_view key) {
  std::vector<std::string> words;
  std::string word;
  for (char c : key) {
    if (c == '.' || c == '_' || c == '-') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool in(std::string_view w, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

bool is_secret_word(std::string_view w) {
  return in(w,
            {"password", "passwd",    "pwd",  "pass",   "passphrase",    "secret",      "secrets",
             "token",    "tokens",    "key",  "apikey", "credential",    "credentials", "private",
             "privkey",  "signature", "salt", "cookie", "authorization", "sslpassword"});
}

// Words a key ends with when its value measures something rather than holding it.
bool is_measure_word(std::string_view w) {
  return in(w, {"ms",   "s",    "sec",     "seconds",   "minutes", "hours",   "days",
                "ttl",  "size", "bytes",   "count",     "length",  "len",     "limit",
                "max",  "min",  "timeout", "enabled",   "prefix",  "header",  "file",
                "path", "dir",  "issuer",  "algorithm", "rounds",  "interval"});
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

// Masks "user:pass@" of every "scheme://user:pass@host" in the text.
std::string mask_userinfo(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    auto scheme_end = text.find("://", pos);
    if (scheme_end == std::string_view::npos) break;
    size_t auth_start = scheme_end + 3;
    // The authority ends at the first / ? # or separator of a list.
    size_t auth_end = auth_start;
    while (auth_end < text.size() &&
           !in(std::string_view(&text[auth_end], 1), {"/", "?", "#", ",", " ", ";", "\t", "\n"})) {
      ++auth_end;
    }
    auto authority = text.substr(auth_start, auth_end - auth_start);
    auto at = authority.rfind('@');
    out.append(text.substr(pos, auth_start - pos));
    if (at != std::string_view::npos) {
      auto userinfo = authority.substr(0, at);
      auto colon = userinfo.find(':');
      // "user:pass" keeps the user; a lone userinfo is a user name by convention (libpq, AMQP).
      if (colon != std::string_view::npos) {
        out.append(userinfo.substr(0, colon)).append(":***");
      } else {
        out.append(userinfo);
      }
      out.append(authority.substr(at));
    } else {
      out.append(authority);
    }
    pos = auth_end;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

// Masks the value of every "name=value" whose name is secret-like: URL query parameters
// (?password=..&..) and libpq keyword strings ("host=db password=pw").
std::string mask_parameters(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    auto eq = text.find('=', i);
    if (eq == std::string_view::npos) break;
    size_t name_start = eq;
    while (name_start > i && is_name_char(text[name_start - 1])) --name_start;
    auto name = text.substr(name_start, eq - name_start);
    size_t value_end = eq + 1;
    while (value_end < text.size() &&
           !in(std::string_view(&text[value_end], 1), {"&", " ", ",", ";", "#", "\t", "\n"})) {
      ++value_end;
    }
    out.append(text.substr(i, eq + 1 - i));
    if (!name.empty() && is_secret_config_key(name) && value_end > eq + 1) {
      out.append("***");
    } else {
      out.append(text.substr(eq + 1, value_end - eq - 1));
    }
    i = value_end;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

}  // namespace

bool is_secret_config_key(std::string_view key) {
  auto words = words_of(key);
  if (words.empty() || is_measure_word(words.back())) return false;
  return std::any_of(words.begin(), words.end(),
                     [](const std::string& w) { return is_secret_word(w); });
}

std::string mask_credentials_in_value(std::string_view value) {
  return mask_parameters(mask_userinfo(value));
}

std::string mask_config_value(std::string_view key, std::string_view value) {
  if (is_secret_config_key(key)) return value.empty() ? std::string() : std::string(kMaskedValue);
  return mask_credentials_in_value(value);
}

}  // namespace cp
