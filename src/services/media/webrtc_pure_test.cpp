// The WebRTC pieces that need no GStreamer: worker pipe framing, answer validation, the
// profile-level-id pinned from the SPS, TURN REST credentials.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/config.h"
#include "services/media/webrtc_ice.h"
#include "services/media/webrtc_sdp.h"
#include "services/media/webrtc_wire.h"

namespace cp::media {
namespace {

TEST(WebRtcWire, FramesSurviveAnySplit) {
  const std::string big(300'000, 'x');
  const std::string stream = wire_frame(WireKind::kVideo, big) +
                             wire_frame(WireKind::kSignal, R"({"t":"offer"})") +
                             wire_frame(WireKind::kKeyFrame, "");
  for (size_t chunk : {1ul, 7ul, 4096ul, stream.size()}) {
    WireReader r;
    std::vector<WireMessage> got;
    for (size_t i = 0; i < stream.size(); i += chunk) {
      r.feed(stream.data() + i, std::min(chunk, stream.size() - i));
      while (auto m = r.next()) got.push_back(std::move(*m));
    }
    ASSERT_EQ(got.size(), 3u) << chunk;
    EXPECT_EQ(got[0].kind, WireKind::kVideo);
    EXPECT_EQ(got[0].payload, big);
    EXPECT_EQ(got[1].payload, R"({"t":"offer"})");
    EXPECT_EQ(got[2].kind, WireKind::kKeyFrame);
    EXPECT_FALSE(r.failed());
  }
}

TEST(WebRtcWire, GarbageAndHugeLengthsFail) {
  WireReader r;
  r.feed("Z\0\0\0\0", 5);
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.failed());
  WireReader huge;
  const char header[] = {'V', 0x7f, 0, 0, 0};
  huge.feed(header, 5);
  EXPECT_FALSE(huge.next());
  EXPECT_TRUE(huge.failed());
}

TEST(WebRtcSdp, ProfileLevelIdFromSps) {
  const std::vector<uint8_t> config = {0,    0, 0, 1, 0x67, 0x42, 0xc0, 0x20,
                                       0xda, 0, 0, 0, 1,    0x68, 0xce};
  EXPECT_EQ(profile_level_id(config), "42c020");
  const std::vector<uint8_t> pps_only = {0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80};
  EXPECT_FALSE(profile_level_id(pps_only));
  const std::vector<uint8_t> truncated = {0, 0, 1, 0x67, 0x42};
  EXPECT_FALSE(profile_level_id(truncated));
}

constexpr const char* kGoodAnswer =
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE video0 application1\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=mid:video0\r\na=recvonly\r\n"
    "a=rtpmap:96 H264/90000\r\na=rtcp-fb:96 nack pli\r\n"
    "a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n"
    "a=rtpmap:97 rtx/90000\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:application1\r\n";

TEST(WebRtcSdp, AcceptsAnAnswerWithH264AndDataChannels) {
  EXPECT_EQ(check_answer(kGoodAnswer), "");
}

TEST(WebRtcSdp, RejectsWhatWouldAbortWebrtcbin) {
  auto edit = [](std::string_view from, std::string_view to) {
    std::string s = kGoodAnswer;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_EQ(check_answer(edit("m=video 9", "m=video 0")), "video rejected");
  EXPECT_NE(check_answer(edit("SAVPF 96 97", "SAVPF 97")).find("missing"), std::string::npos);
  EXPECT_NE(check_answer(edit("H264/90000", "VP8/90000")).find("not H264"), std::string::npos);
  EXPECT_NE(
      check_answer(edit("packetization-mode=1", "packetization-mode=0")).find("packetization"),
      std::string::npos);
  EXPECT_EQ(check_answer(edit("m=application 9", "m=application 0")), "data channels rejected");
  EXPECT_NE(check_answer(edit("m=video", "m=audio")).find("one video"), std::string::npos);
  EXPECT_NE(check_answer("hello"), "");
  EXPECT_NE(check_answer(""), "");
  EXPECT_NE(check_answer(edit("m=video 9 UDP/TLS/RTP/SAVPF 96 97", "m=video")), "");
}

TEST(WebRtcIce, TurnCredentialFollowsTheCoturnRestScheme) {
  // Reference computed independently: base64(HMAC-SHA1("north", "1700000000:usr_1")) in Python.
  const auto c = turn_credential("north", "usr_1", 1'700'000'000);
  EXPECT_EQ(c.username, "1700000000:usr_1");
  EXPECT_EQ(c.password, "idTFmfvt2wh3QeqBkdoaO4lg6co=");
}

TEST(WebRtcIce, IceServersCarryShortLivedCredentials) {
  Config config;
  config.set("media.stun_urls", "stun:10.0.0.1:3478");
  config.set("media.turn_urls",
             "turn:10.0.0.1:3478?transport=udp,turn:10.0.0.1:3478?transport=tcp");
  config.set("media.turn_secret", "north");
  config.set("media.turn_ttl_s", "600");
  const auto settings = IceSettings::from(config);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  const auto servers = ice_servers_json(settings, "usr_1", now);
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_EQ(boost::json::serialize(servers[0]), R"({"urls":["stun:10.0.0.1:3478"]})");
  const auto& turn = servers[1].as_object();
  EXPECT_EQ(turn.at("urls").as_array().size(), 2u);
  EXPECT_EQ(turn.at("username").as_string(), "1700000600:usr_1");
  EXPECT_EQ(turn.at("credential").as_string(),
            turn_credential("north", "usr_1", 1'700'000'600).password);
}

TEST(WebRtcIce, BadConfigurationNamesTheKey) {
  Config bad_scheme;
  bad_scheme.set("media.stun_urls", "http://x");
  try {
    IceSettings::from(bad_scheme);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("media.stun_urls"), std::string::npos);
  }
  Config no_secret;
  no_secret.set("media.turn_urls", "turn:10.0.0.1:3478");
  EXPECT_THROW(IceSettings::from(no_secret), std::invalid_argument);
  Config none;
  EXPECT_TRUE(
      ice_servers_json(IceSettings::from(none), "u", std::chrono::system_clock::now()).empty());
}

}  // namespace
}  // namespace cp::media
