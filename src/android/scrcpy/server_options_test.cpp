#include "android/scrcpy/server_options.h"

#include <gtest/gtest.h>

#include "android/scrcpy/protocol.h"

namespace cp::scrcpy {
namespace {

TEST(ServerOptions, BuildsOnlyNonDefaults) {
  ServerOptions o;
  o.scid = 0x0abc1234;
  o.audio = false;
  o.max_size = 1280;
  o.max_fps = 30;
  o.tunnel_forward = true;
  o.video_bit_rate = 4'000'000;
  const auto cmd = join_command(build_server_command(o));
  EXPECT_EQ(cmd,
            "CLASSPATH=/data/local/tmp/scrcpy-server.jar app_process / "
            "com.genymobile.scrcpy.Server 3.3.4 scid=0abc1234 log_level=info audio=false "
            "max_size=1280 video_bit_rate=4000000 max_fps=30 tunnel_forward=true");
  EXPECT_EQ(socket_name(o), "scrcpy_0abc1234");
  EXPECT_EQ(socket_name(ServerOptions{}), "scrcpy");
}

TEST(ServerOptions, ParseRoundTrip) {
  ServerOptions o;
  o.scid = 0x7fffffff;
  o.control = false;
  o.raw_stream = true;
  o.other["show_touches"] = "true";
  const auto args = build_server_command(o);
  const auto parsed = parse_server_args(args);
  EXPECT_EQ(parsed.version, "3.3.4");
  EXPECT_EQ(parsed.scid, 0x7fffffff);
  EXPECT_FALSE(parsed.control);
  EXPECT_TRUE(parsed.raw_stream);
  EXPECT_EQ(parsed.other.at("show_touches"), "true");
  const auto n = normalized(parsed);
  EXPECT_FALSE(n.send_dummy_byte);
  EXPECT_FALSE(n.send_frame_meta);
}

TEST(ServerOptions, ParseWithoutPrefixAndRounding) {
  std::vector<std::string> args{"scid=00000010", "max_size=1001", "send_dummy_byte=false"};
  const auto o = normalized(parse_server_args(args));
  EXPECT_EQ(o.scid, 16);
  EXPECT_EQ(o.max_size, 1000);
  EXPECT_FALSE(o.send_dummy_byte);
}

TEST(ServerOptions, RejectsBadValues) {
  std::vector<std::string> bad_bool{"video=yes"};
  EXPECT_THROW(parse_server_args(bad_bool), ProtocolError);
  std::vector<std::string> bad_int{"max_size=12a"};
  EXPECT_THROW(parse_server_args(bad_int), ProtocolError);
  std::vector<std::string> bad_scid{"scid=fffffffff"};
  EXPECT_THROW(parse_server_args(bad_scid), ProtocolError);
}

}  // namespace
}  // namespace cp::scrcpy
