#pragma once
// Validation of stream settings from the API: a partial update of the device's current
// settings. Anything out of range or unknown is a 400 naming the field; nothing is applied then.
#include <boost/json/object.hpp>

#include "services/media/device_stream.h"

namespace cp::media {

inline constexpr int kMinMaxSize = 160, kMaxMaxSize = 4096;
inline constexpr int kMaxFps = 120;
inline constexpr int kMinBitRate = 100'000, kMaxBitRate = 50'000'000;

// Throws http::ApiError (400, field named) on a bad body.
StreamSettings merge_settings(const boost::json::object& body, StreamSettings current);
boost::json::object settings_json(const StreamSettings& s);

}  // namespace cp::media
