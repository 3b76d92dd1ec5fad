#include "services/media/stream_settings.h"

#include "core/problem.h"

namespace cp::media {
namespace {

int bounded(const boost::json::value& v, const char* field, int lo, int hi, bool zero_ok) {
  if (!v.is_int64() && !v.is_uint64()) throw http::bad_request(field, "must be an integer");
  const auto n = v.to_number<int64_t>();
  if ((n == 0 && zero_ok) || (n >= lo && n <= hi)) return static_cast<int>(n);
  throw http::bad_request(field, "must be " + std::string(zero_ok ? "0 or " : "") + "between " +
                                     std::to_string(lo) + " and " + std::to_string(hi));
}

}  // namespace

StreamSettings merge_settings(const boost::json::object& body, StreamSettings current) {
  if (body.empty())
    throw http::bad_request("max_size", "give at least one of max_size, max_fps, bit_rate");
  for (const auto& [key, value] : body) {
    if (key == "max_size") {
      // The device rounds the size down to a multiple of 8 (as scrcpy does); 0 = no limit.
      current.max_size = bounded(value, "max_size", kMinMaxSize, kMaxMaxSize, true);
    } else if (key == "max_fps") {
      current.max_fps = bounded(value, "max_fps", 1, kMaxFps, false);
    } else if (key == "bit_rate") {
      current.bit_rate = bounded(value, "bit_rate", kMinBitRate, kMaxBitRate, false);
    } else {
      throw http::bad_request(std::string(key), "unknown setting (max_size, max_fps, bit_rate)");
    }
  }
  return current;
}

boost::json::object settings_json(const StreamSettings& s) {
  return {{"max_size", s.max_size}, {"max_fps", s.max_fps}, {"bit_rate", s.bit_rate}};
}

}  // namespace cp::media
