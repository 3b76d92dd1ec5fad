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

namespace {
// Reads exactly `width` digits at `pos`; -1 when they are not all digits.
int fixed_digits(std::string_view s, size_t pos, size_t width) {
  if (pos + width > s.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}
}  // namespace

int64_t from_rfc3339(std::string_view s) {
  // date-time = YYYY-MM-DD "T" HH:MM:SS [.frac] ("Z" / ("+"/"-") HH:MM), checked strictly so a
  // malformed or impossible date is rejected rather than silently normalised by timegm.
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':') {
    return -1;
  }
  int year = fixed_digits(s, 0, 4), month = fixed_digits(s, 5, 2), day = fixed_digits(s, 8, 2);
  int hour = fixed_digits(s, 11, 2), minute = fixed_digits(s, 14, 2), sec = fixed_digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || sec < 0 || sec > 60 || day > days_in_month(year, month)) {
    return -1;
  }
  size_t pos = 19;
  int ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    int digits = 0;
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) ms = ms * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return -1;
    for (int d = digits; d < 3; ++d) ms *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    // UTC
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh = fixed_digits(s, pos + 1, 2), om = fixed_digits(s, pos + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
    offset_minutes = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return -1;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = sec;
  return (static_cast<int64_t>(timegm(&tm)) - offset_minutes * 60) * 1000 + ms;
}

}  // namespace cp
