#include "platform/events.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace cp::events {
namespace {

std::string required_string(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty()) {
    throw std::invalid_argument(std::string("cloudevent: '") + key +
                                "' must be a non-empty string");
  }
  return std::string(v->as_string());
}

std::string optional_string(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return {};
  if (!v->is_string())
    throw std::invalid_argument(std::string("cloudevent: '") + key + "' must be a string");
  return std::string(v->as_string());
}

int digits(std::string_view s, size_t pos, size_t count) {
  if (pos + count > s.size()) throw std::invalid_argument("rfc3339: too short");
  int n = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') throw std::invalid_argument("rfc3339: digit expected");
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

void expect(std::string_view s, size_t pos, std::string_view chars) {
  if (pos >= s.size() || chars.find(s[pos]) == std::string_view::npos) {
    throw std::invalid_argument("rfc3339: malformed timestamp");
  }
}

}  // namespace

std::string new_event_id() {
  using namespace std::chrono;
  uint64_t ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  unsigned char random[8];
  if (RAND_bytes(random, sizeof random) != 1) throw std::runtime_error("RAND_bytes failed");
  char buf[4 + 12 + 16 + 1];
  int n = std::snprintf(buf, sizeof buf, "evt_%012llx", static_cast<unsigned long long>(ms));
  for (unsigned char b : random) n += std::snprintf(buf + n, sizeof buf - n, "%02x", b);
  return std::string(buf, n);
}

CloudEvent make_event(std::string source, std::string type, std::string subject,
                      boost::json::object data, std::string traceparent) {
  using namespace std::chrono;
  CloudEvent e;
  e.id = new_event_id();
  e.source = std::move(source);
  e.type = std::move(type);
  e.subject = std::move(subject);
  e.time_ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  e.data = std::move(data);
  e.traceparent = std::move(traceparent);
  return e;
}

boost::json::object to_json(const CloudEvent& e) {
  boost::json::object o;
  o["specversion"] = "1.0";
  o["id"] = e.id;
  o["source"] = e.source;
  o["type"] = e.type;
  if (!e.subject.empty()) o["subject"] = e.subject;
  o["time"] = format_rfc3339(e.time_ms);
  o["datacontenttype"] = "application/json";
  o["data"] = e.data;
  if (!e.traceparent.empty()) o["traceparent"] = e.traceparent;
  return o;
}

std::string to_json_string(const CloudEvent& e) {
  return boost::json::serialize(to_json(e));
}

CloudEvent event_from_json(const boost::json::value& json) {
  if (!json.is_object()) throw std::invalid_argument("cloudevent: not a JSON object");
  const auto& o = json.as_object();
  if (required_string(o, "specversion") != "1.0") {
    throw std::invalid_argument("cloudevent: specversion must be \"1.0\"");
  }
  CloudEvent e;
  e.id = required_string(o, "id");
  e.source = required_string(o, "source");
  e.type = required_string(o, "type");
  e.subject = optional_string(o, "subject");
  std::string time = optional_string(o, "time");
  e.time_ms = time.empty() ? 0 : parse_rfc3339(time);
  if (const auto* data = o.if_contains("data"); data && !data->is_null()) {
    if (!data->is_object()) throw std::invalid_argument("cloudevent: 'data' must be an object");
    e.data = data->as_object();
  }
  e.traceparent = optional_string(o, "traceparent");
  return e;
}

CloudEvent event_from_json_string(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) throw std::invalid_argument("cloudevent: invalid JSON: " + ec.message());
  return event_from_json(v);
}

std::string format_rfc3339(int64_t unix_ms) {
  int64_t seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  int millis = static_cast<int>(unix_ms - seconds * 1000);
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

int64_t parse_rfc3339(std::string_view s) {
  std::tm tm{};
  tm.tm_year = digits(s, 0, 4) - 1900;
  expect(s, 4, "-");
  tm.tm_mon = digits(s, 5, 2) - 1;
  expect(s, 7, "-");
  tm.tm_mday = digits(s, 8, 2);
  expect(s, 10, "Tt ");
  tm.tm_hour = digits(s, 11, 2);
  expect(s, 13, ":");
  tm.tm_min = digits(s, 14, 2);
  expect(s, 16, ":");
  tm.tm_sec = digits(s, 17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    throw std::invalid_argument("rfc3339: field out of range");
  }
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) throw std::invalid_argument("rfc3339: empty fraction");
  }
  int64_t offset_minutes = 0;
  expect(s, pos, "Zz+-");
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else {
    int sign = s[pos] == '-' ? -1 : 1;
    int hours = digits(s, pos + 1, 2);
    expect(s, pos + 3, ":");
    int minutes = digits(s, pos + 4, 2);
    offset_minutes = sign * (hours * 60 + minutes);
    pos += 6;
  }
  if (pos != s.size()) throw std::invalid_argument("rfc3339: trailing characters");
  int64_t seconds = timegm(&tm);
  return (seconds - offset_minutes * 60) * 1000 + millis;
}

}  // namespace cp::events
