#include "core/ids.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace cp {

namespace {
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void random_bytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
}
}  // namespace

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string new_id(std::string_view prefix) {
  unsigned char bytes[16];
  auto ms = static_cast<uint64_t>(now_ms());
  for (int i = 5; i >= 0; --i) {
    bytes[i] = static_cast<unsigned char>(ms & 0xFF);
    ms >>= 8;
  }
  random_bytes(bytes + 6, 10);
  std::string out(prefix);
  out += '_';
  // 128 bits read 5 at a time from the most significant end (the last group is padded).
  for (int bit = 0; bit < 128; bit += 5) {
    int value = 0;
    for (int k = 0; k < 5; ++k) {
      int b = bit + k;
      int set = b < 128 ? (bytes[b / 8] >> (7 - b % 8)) & 1 : 0;
      value = (value << 1) | set;
    }
    out += kCrockford[value];
  }
  return out;
}

std::string random_hex(size_t n) {
  std::string bytes(n, '\0');
  random_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned char c : bytes) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string to_rfc3339(int64_t unix_ms) {
  std::time_t secs = unix_ms / 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

int64_t from_rfc3339(std::string_view text) {
  std::tm tm{};
  int ms = 0;
  std::string s(text);
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return -1;
  }
  size_t pos = static_cast<size_t>(consumed);
  if (pos < s.size() && s[pos] == '.') {
    int digits = 0;
    ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits < 3) {
        ms = ms * 10 + (s[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    while (digits++ < 3) ms *= 10;
  }
  if (pos >= s.size() || (s[pos] != 'Z' && s[pos] != 'z')) {
    return -1;  // only UTC is accepted, as the API promises
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

}  // namespace cp
