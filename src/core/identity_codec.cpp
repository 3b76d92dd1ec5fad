#include "core/identity_codec.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cp::http {

namespace json = boost::json;

std::string base64url_encode(std::string_view data) {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i + 1 == data.size()) {
    uint32_t v = uint8_t(data[i]) << 16;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
  } else if (i + 2 == data.size()) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

json::object identity_to_json(const Identity& id) {
  auto arr = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
  };
  return {{"sub", id.user_id},        {"roles", arr(id.roles)},   {"perms", arr(id.permissions)},
          {"method", id.auth_method}, {"cred", id.credential_id}, {"scopes", arr(id.scopes)}};
}

Identity identity_from_json(const json::object& o) {
  auto str = [&](const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                    : std::string();
  };
  auto list = [&](const char* k) {
    std::vector<std::string> out;
    auto it = o.find(k);
    if (it != o.end() && it->value().is_array()) {
      for (const auto& v : it->value().as_array()) {
        if (v.is_string()) out.emplace_back(v.as_string());
      }
    }
    return out;
  };
  Identity id;
  id.user_id = str("sub");
  id.roles = list("roles");
  id.permissions = list("perms");
  id.auth_method = str("method");
  id.credential_id = str("cred");
  id.scopes = list("scopes");
  return id;
}

std::string IdentityCodec::encode(const Identity& identity, int64_t now_seconds) const {
  auto payload = base64url_encode(json::serialize(identity_to_json(identity)));
  auto signed_part = payload + "." + std::to_string(now_seconds);
  return signed_part + "." + base64url_encode(hmac_sha256(secret_, signed_part));
}

std::optional<Identity> IdentityCodec::decode(std::string_view header, int64_t now_seconds) const {
  auto dot2 = header.rfind('.');
  if (dot2 == std::string_view::npos) return std::nullopt;
  auto signed_part = header.substr(0, dot2);
  auto dot1 = signed_part.rfind('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  // Compare the canonical encoding, not the decoded bytes: decoding ignores the unused low bits
  // of the last character (and accepts '+' '/'), so several texts would carry one signature.
  auto expected = base64url_encode(hmac_sha256(secret_, signed_part));
  if (!constant_time_equal(header.substr(dot2 + 1), expected)) return std::nullopt;
  int64_t issued = 0;
  try {
    issued = std::stoll(std::string(signed_part.substr(dot1 + 1)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (now_seconds - issued > max_age_.count() || issued - now_seconds > 30) return std::nullopt;
  auto payload = base64url_decode(signed_part.substr(0, dot1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return identity_from_json(v.as_object());
}

}  // namespace cp::http
