#pragma once
// TOTP second factor (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 30 s steps, 6 digits): what
// authenticator apps implement. Pure; the secret is stored base32 as the apps show it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/user/tokens.h"  // TimePoint

namespace cp::user {

inline constexpr int kTotpStepSeconds = 30;

std::string base32_encode(std::string_view bytes);
// Case-insensitive; ignores spaces and '=' padding. nullopt on any other character.
std::optional<std::string> base32_decode(std::string_view text);

std::string hotp(std::string_view key, uint64_t counter, int digits = 6);
std::string totp_at(std::string_view key, int64_t unix_time, int digits = 6);

// 20 random bytes (160 bits, the RFC 4226 recommendation), base32.
std::string generate_totp_secret();
// otpauth://totp/<issuer>:<account>?secret=...&issuer=... for QR codes.
std::string otpauth_uri(std::string_view issuer, std::string_view account,
                        std::string_view secret_base32);

// Accepts the code of the current step or of `window` steps either side (clock drift). Returns
// the matched step so the caller can store it and refuse the same code again (replay); a step
// not after `last_used_step` is refused.
std::optional<int64_t> verify_totp(std::string_view secret_base32, std::string_view code,
                                   TimePoint now, std::optional<int64_t> last_used_step,
                                   int window = 1);

}  // namespace cp::user
