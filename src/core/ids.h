#pragma once
// Prefixed, time-sortable ids ("usr_01J..."): 48-bit millisecond time + 80 random bits in
// Crockford base32, so ids sort by creation time and never collide across processes.
#include <cstdint>
#include <string>
#include <string_view>

namespace cp {

std::string new_id(std::string_view prefix);
// 32 random bytes as hex (request ids, secrets).
std::string random_hex(size_t bytes);
int64_t now_ms();
// RFC 3339 UTC with milliseconds, and back (any offset accepted; returns -1 when malformed).
std::string to_rfc3339(int64_t unix_ms);
int64_t from_rfc3339(std::string_view text);

}  // namespace cp
