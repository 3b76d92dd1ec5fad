#include "services/media/input.h"

#include <gtest/gtest.h>

namespace cp::media {
namespace {

using namespace cp::scrcpy;
constexpr FrameSize kFrame{720, 1280};

TEST(ParseInput, TouchIsMappedToDeviceCoordinates) {
  const auto in = parse_input(R"({"t":"touch","action":"down","pointer":1,"x":100,"y":500,"w":360,"h":640})", kFrame);
  ASSERT_TRUE(in.ok()) << in.error;
  ASSERT_EQ(in.messages.size(), 1u);
  EXPECT_EQ(in.messages[0], ControlMessage(InjectTouch{MotionAction::kDown, 1, {200, 1000, 720, 1280}, 1.0f, 0, 0}));
  const auto up = parse_input(R"({"t":"touch","action":"up","x":-5,"y":500,"w":360,"h":640})", kFrame);
  ASSERT_TRUE(up.ok()) << up.error;  // a drag ending outside is clamped
  EXPECT_EQ(std::get<InjectTouch>(up.messages[0]).position.x, 0);
  EXPECT_EQ(std::get<InjectTouch>(up.messages[0]).pointer_id, kPointerIdGenericFinger);
}

TEST(ParseInput, KeysTextAndButtons) {
  auto k = parse_input(R"({"t":"key","code":66,"action":"down"})", kFrame);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k.messages[0], ControlMessage(InjectKeycode{KeyAction::kDown, 66, 0, 0}));
  auto t = parse_input(R"({"t":"text","text":"héllo"})", kFrame);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.messages[0], ControlMessage(InjectText{"héllo"}));
  auto back = parse_input(R"({"t":"back"})", kFrame);
  ASSERT_EQ(back.messages.size(), 2u);
  EXPECT_EQ(back.messages[1], ControlMessage(InjectKeycode{KeyAction::kUp, kKeycodeBack, 0, 0}));
  EXPECT_EQ(std::get<InjectKeycode>(parse_input(R"({"t":"home"})", kFrame).messages[0]).keycode, 3u);
  EXPECT_EQ(std::get<InjectKeycode>(parse_input(R"({"t":"recents"})", kFrame).messages[0]).keycode, 187u);
  EXPECT_EQ(parse_input(R"({"t":"rotate"})", kFrame).messages[0], ControlMessage(RotateDevice{}));
  EXPECT_EQ(parse_input(R"({"t":"clipboard","text":"x"})", kFrame).messages[0],
            ControlMessage(SetClipboard{0, false, "x"}));
  auto kf = parse_input(R"({"t":"keyframe"})", kFrame);
  EXPECT_TRUE(kf.ok());
  EXPECT_TRUE(kf.keyframe);
  EXPECT_TRUE(kf.messages.empty());
}

TEST(ParseInput, ScrollIsClamped) {
  auto s = parse_input(R"({"t":"scroll","x":10,"y":10,"w":720,"h":1280,"dx":0,"dy":-99})", kFrame);
  ASSERT_TRUE(s.ok()) << s.error;
  EXPECT_EQ(std::get<InjectScroll>(s.messages[0]).vscroll, -16.0f);
}

TEST(ParseInput, BadInputIsRejectedWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "not_json_object"},
      {"[1,2]", "not_json_object"},
      {"{\"t\":", "not_json_object"},
      {R"({"x":1})", "missing_t"},
      {R"({"t":7})", "bad_t"},
      {R"({"t":"dance"})", "unknown_type"},
      {R"({"t":"touch","action":"jump","x":1,"y":1,"w":1,"h":1})", "bad_action"},
      {R"({"t":"touch","action":"down","x":"1","y":1,"w":1,"h":1})", "bad_x"},
      {R"({"t":"touch","action":"down","x":1,"y":1,"w":0,"h":1})", "outside_picture"},
      {R"({"t":"touch","action":"down","x":1,"y":1,"w":10,"h":10,"pointer":-1})", "bad_pointer"},
      {R"({"t":"key","code":1.5})", "bad_code"},
      {R"({"t":"key","code":4,"action":"sideways"})", "bad_action"},
      {R"({"t":"text","text":""})", "bad_text"},
      {R"({"t":"text"})", "missing_text"},
  };
  for (const auto& [text, reason] : cases) {
    const auto in = parse_input(text, kFrame);
    EXPECT_EQ(in.error, reason) << text;
    EXPECT_TRUE(in.messages.empty()) << text;
  }
  EXPECT_EQ(parse_input(std::string(kMaxInputMessageSize + 1, ' '), kFrame).error, "too_large");
  EXPECT_EQ(parse_input(R"({"t":"text","text":")" + std::string(301, 'a') + "\"}", kFrame).error, "bad_text");
}

}  // namespace
}  // namespace cp::media
