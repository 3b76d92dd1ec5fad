#include "services/media/schemas.h"

namespace cp::media {

using http::Schema;

namespace {
Schema time() {
  return Schema::string().format("date-time");
}

Schema ice_server_schema() {
  return Schema::record({{"urls", Schema::array(Schema::string(), 100)},
                         {"username", Schema::string()},
                         {"credential", Schema::string().describe("TURN REST-API password")}},
                        {"username", "credential"})
      .named("IceServer");
}

std::vector<std::pair<std::string, Schema>> session_members() {
  return {{"session_id", Schema::string()},
          {"device_id", Schema::string()},
          {"user_id", Schema::string()},
          {"ws_url", Schema::string().describe("WebSocket: H.264 access units out, input in")},
          {"role", Schema::string().one_of({"controller", "viewer"})},
          {"connected", Schema::boolean()},
          {"created_at", time()},
          {"rtc_url", Schema::string().describe("WebSocket for WebRTC signalling")},
          {"ice_servers", Schema::array(ice_server_schema(), 100)}};
}
}  // namespace

Schema stream_session_schema() {
  return Schema::record(session_members()).named("StreamSession");
}

Schema opened_stream_session_schema() {
  auto members = session_members();
  members.emplace_back("codec", Schema::string().describe("WebCodecs codec string"));
  members.emplace_back("width", Schema::integer());
  members.emplace_back("height", Schema::integer());
  members.emplace_back("signalling",
                       Schema::record({{"ws_url", Schema::string()},
                                       {"transports", Schema::array(Schema::string(), 10)}}));
  return Schema::record(std::move(members)).named("OpenedStreamSession");
}

Schema stream_session_list_schema() {
  return Schema::record({{"items", Schema::array(stream_session_schema(), 100000)}});
}

Schema device_streams_schema() {
  return Schema::record({{"items", Schema::array(stream_session_schema(), 100000)},
                         {"stream", Schema::record({{"fps", Schema::number()},
                                                    {"bit_rate", Schema::number()},
                                                    {"viewers", Schema::integer()},
                                                    {"frames", Schema::integer()},
                                                    {"key_frame_requests", Schema::integer()}})
                                        .named("StreamStats")}},
                        {"stream"})
      .named("DeviceStreams");
}

Schema stream_settings_schema() {
  return Schema::record({{"max_size", Schema::integer()},
                         {"max_fps", Schema::integer()},
                         {"bit_rate", Schema::integer()}})
      .named("StreamSettings");
}

Schema stream_settings_result_schema() {
  return Schema::record({{"max_size", Schema::integer()},
                         {"max_fps", Schema::integer()},
                         {"bit_rate", Schema::integer()},
                         {"restarted", Schema::boolean()},
                         {"width", Schema::integer()},
                         {"height", Schema::integer()}},
                        {"width", "height"})
      .named("StreamSettingsResult");
}

Schema recording_schema() {
  return Schema::record({{"id", Schema::string()},
                         {"device_id", Schema::string()},
                         {"user_id", Schema::string()},
                         {"state", Schema::string().one_of({"recording", "stored"})},
                         {"started_at", time()},
                         {"ended_at", time()},
                         {"duration_ms", Schema::integer()},
                         {"width", Schema::integer()},
                         {"height", Schema::integer()},
                         {"frames", Schema::integer()},
                         {"truncated", Schema::boolean()},
                         {"content_type", Schema::string()},
                         {"size", Schema::integer()}},
                        {"user_id", "ended_at", "duration_ms", "width", "height", "frames",
                         "truncated", "content_type", "size"})
      .named("Recording");
}

Schema recording_list_schema() {
  return Schema::record({{"items", Schema::array(recording_schema(), 100000)}});
}

}  // namespace cp::media
