#include "android/scrcpy/device_message.h"

#include <gtest/gtest.h>

#include "android/scrcpy/protocol.h"

namespace cp::scrcpy {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(DeviceMessage, Layouts) {
  EXPECT_EQ(encode(ClipboardMessage{"ab"}), (Bytes{0, 0, 0, 0, 2, 'a', 'b'}));
  EXPECT_EQ(encode(AckClipboardMessage{0x0102}), (Bytes{1, 0, 0, 0, 0, 0, 0, 1, 2}));
}

TEST(DeviceMessageReader, DecodesSplitMessages) {
  Bytes stream = encode(ClipboardMessage{"copied text"});
  const auto ack = encode(AckClipboardMessage{42});
  stream.insert(stream.end(), ack.begin(), ack.end());
  DeviceMessageReader reader;
  std::vector<DeviceMessage> out;
  for (uint8_t b : stream) {
    reader.feed(Bytes{b});
    while (auto m = reader.next()) {
      out.push_back(*m);
    }
  }
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<ClipboardMessage>(out[0]).text, "copied text");
  EXPECT_EQ(std::get<AckClipboardMessage>(out[1]).sequence, 42u);
}

TEST(DeviceMessageReader, RejectsGarbage) {
  DeviceMessageReader reader;
  reader.feed(Bytes{7});
  EXPECT_THROW(reader.next(), ProtocolError);
  DeviceMessageReader big;
  big.feed(Bytes{0, 0x7F, 0, 0, 0});
  EXPECT_THROW(big.next(), ProtocolError);
}

}  // namespace
}  // namespace cp::scrcpy
