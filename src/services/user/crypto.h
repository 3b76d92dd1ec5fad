#pragma once
// Small cryptographic building blocks the user service shares between tokens, API keys and
// passwords: CSPRNG output (libsodium), SHA-256 (OpenSSL), base64url. Ids come from core/ids.h.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/digest.h"

namespace cp::user {

// `bytes` random bytes from libsodium, base64url without padding.
std::string random_token(size_t bytes);
// Lower-case hex of SHA-256(data). Used to store refresh tokens and API keys: they carry 256
// bits of entropy, so a fast hash is enough (unlike passwords).
using cp::sha256_hex;  // core/digest.h
// Compares in time independent of where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace cp::user
