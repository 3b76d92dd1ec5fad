#include "services/user/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "services/user/crypto.h"

namespace cp::user {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0x0f]);
    }
  }
  return out;
}

}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
    }
  }
  if (bits > 0) {
    out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1f]);
  }
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char raw : text) {
    if (raw == ' ' || raw == '=') {
      continue;
    }
    auto pos =
        kBase32Alphabet.find(static_cast<char>(std::toupper(static_cast<unsigned char>(raw))));
    if (pos == std::string_view::npos) {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(pos);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string hotp(std::string_view key, uint64_t counter, int digits) {
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message, sizeof message, mac,
           &mac_len) == nullptr) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  // RFC 4226 §5.3 dynamic truncation.
  int offset = mac[mac_len - 1] & 0x0f;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                    (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) {
    modulus *= 10;
  }
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::string totp_at(std::string_view key, int64_t unix_time, int digits) {
  return hotp(key, static_cast<uint64_t>(unix_time / kTotpStepSeconds), digits);
}

std::string generate_totp_secret() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
  std::string raw(20, '\0');
  randombytes_buf(raw.data(), raw.size());
  return base32_encode(raw);
}

std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + percent_encode(issuer) +
         "&algorithm=SHA1&digits=6&period=" + std::to_string(kTotpStepSeconds);
}

std::optional<int64_t> verify_totp(std::string_view secret_base32, std::string_view code,
                                   TimePoint now, std::optional<int64_t> last_used_step,
                                   int window) {
  auto key = base32_decode(secret_base32);
  if (!key || key->empty() || code.size() != 6 ||
      !std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  int64_t current = unix_seconds(now) / kTotpStepSeconds;
  for (int64_t step = current - window; step <= current + window; ++step) {
    if (step < 0 || (last_used_step && step <= *last_used_step)) {
      continue;
    }
    if (constant_time_equal(hotp(*key, static_cast<uint64_t>(step)), code)) {
      return step;
    }
  }
  return std::nullopt;
}

}  // namespace cp::user
