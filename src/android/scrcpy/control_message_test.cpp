#include "android/scrcpy/control_message.h"

#include <gtest/gtest.h>

namespace cp::scrcpy {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(ControlMessage, InjectKeycodeLayout) {
  const auto b = encode(InjectKeycode{KeyAction::kUp, 66, 5, 0x1001});
  EXPECT_EQ(b, (Bytes{0, 1, 0, 0, 0, 66, 0, 0, 0, 5, 0, 0, 0x10, 0x01}));
}

TEST(ControlMessage, InjectTextLayoutAndUtf8Cap) {
  EXPECT_EQ(encode(InjectText{"hé"}), (Bytes{1, 0, 0, 0, 3, 'h', 0xC3, 0xA9}));
  // 299 ASCII bytes + a 2-byte character: the character would straddle 300, so it is dropped.
  const auto b = encode(InjectText{std::string(299, 'a') + "é"});
  ASSERT_EQ(b.size(), 5u + 299u);
  EXPECT_EQ(b[4], 43);  // 299 = 0x12B
  EXPECT_EQ(b[3], 1);
}

TEST(ControlMessage, InjectTouchLayout) {
  InjectTouch t{MotionAction::kMove, 0x0102030405060708, {100, 200, 720, 1280}, 1.0f, 1, 1};
  const auto b = encode(t);
  EXPECT_EQ(b, (Bytes{2,    2,    1, 2,   3, 4, 5, 6,   7,    8,  // type, action, pointer id
                      0,    0,    0, 100, 0, 0, 0, 200, 0x02, 0xD0, 0x05, 0x00,  // position
                      0xFF, 0xFF,                                                // pressure 1.0
                      0,    0,    0, 1,   0, 0, 0, 1}));
  EXPECT_EQ(b.size(), 32u);
}

TEST(ControlMessage, InjectScrollLayoutV331) {
  const auto b = encode(InjectScroll{{1, 2, 3, 4}, 16.0f, -8.0f, 0});
  EXPECT_EQ(b, (Bytes{3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 3, 0, 4, 0x7F, 0xFF, 0xC0, 0x00, 0, 0, 0, 0}));
}

TEST(ControlMessage, FixedPoint) {
  EXPECT_EQ(encode_pressure(0.5f), 0x8000);
  EXPECT_EQ(encode_pressure(1.0f), 0xFFFF);
  EXPECT_EQ(encode_pressure(2.0f), 0xFFFF);
  EXPECT_FLOAT_EQ(decode_pressure(0xFFFF), 1.0f);
  EXPECT_FLOAT_EQ(decode_scroll(encode_scroll(-4.0f)), -4.0f);
  EXPECT_FLOAT_EQ(decode_scroll(0x7FFF), 16.0f);
}

TEST(ControlMessage, SmallMessages) {
  EXPECT_EQ(encode(BackOrScreenOn{KeyAction::kUp}), (Bytes{4, 1}));
  EXPECT_EQ(encode(ExpandNotificationPanel{}), (Bytes{5}));
  EXPECT_EQ(encode(ExpandSettingsPanel{}), (Bytes{6}));
  EXPECT_EQ(encode(CollapsePanels{}), (Bytes{7}));
  EXPECT_EQ(encode(GetClipboard{CopyKey::kCut}), (Bytes{8, 2}));
  EXPECT_EQ(encode(SetDisplayPower{true}), (Bytes{10, 1}));
  EXPECT_EQ(encode(RotateDevice{}), (Bytes{11}));
  EXPECT_EQ(encode(StartApp{"a.b"}), (Bytes{16, 3, 'a', '.', 'b'}));
  EXPECT_EQ(encode(ResetVideo{}), (Bytes{17}));
}

TEST(ControlMessage, SetClipboardLayout) {
  const auto b = encode(SetClipboard{0x1122, true, "hi"});
  EXPECT_EQ(b, (Bytes{9, 0, 0, 0, 0, 0, 0, 0x11, 0x22, 1, 0, 0, 0, 2, 'h', 'i'}));
}

TEST(ControlMessageReader, RoundTripsAcrossArbitraryChunks) {
  std::vector<ControlMessage> messages{
      InjectKeycode{KeyAction::kDown, 4, 0, 0},
      InjectText{"hello"},
      InjectTouch{MotionAction::kDown, 7, {10, 20, 720, 1280}, 0.5f, 0, 0},
      InjectScroll{{5, 6, 720, 1280}, 0.0f, 2.0f, 0},
      SetClipboard{3, false, "clip"},
      GetClipboard{CopyKey::kCopy},
      RotateDevice{},
      ResetVideo{},
      StartApp{"com.example"},
  };
  Bytes stream;
  for (const auto& m : messages) {
    const auto b = encode(m);
    stream.insert(stream.end(), b.begin(), b.end());
  }
  ControlMessageReader reader;
  std::vector<ControlMessage> decoded;
  for (size_t i = 0; i < stream.size(); i += 3) {  // 3-byte chunks split every message
    reader.feed(std::span(stream).subspan(i, std::min<size_t>(3, stream.size() - i)));
    while (auto m = reader.next()) {
      decoded.push_back(*m);
    }
  }
  EXPECT_EQ(decoded, messages);
}

TEST(ControlMessageReader, RejectsUnknownTypeAndOversize) {
  ControlMessageReader reader;
  reader.feed(Bytes{99});
  EXPECT_THROW(reader.next(), ProtocolError);
  ControlMessageReader big;
  big.feed(Bytes{1, 0x10, 0, 0, 0});  // text of 256 MiB
  EXPECT_THROW(big.next(), ProtocolError);
}

TEST(ControlMessageReader, SkipsUhidMessagesInSync) {
  ControlMessageReader reader;
  reader.feed(Bytes{13, 0, 1, 0, 2, 0xAA, 0xBB, 11});  // UHID_INPUT id 1, 2 bytes; then ROTATE
  auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_TRUE(std::holds_alternative<UnsupportedControl>(*first));
  auto second = reader.next();
  ASSERT_TRUE(second);
  EXPECT_TRUE(std::holds_alternative<RotateDevice>(*second));
}

}  // namespace
}  // namespace cp::scrcpy
