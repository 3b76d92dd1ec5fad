#include "android/scrcpy/packet_merger.h"

#include <gtest/gtest.h>

namespace cp::scrcpy {
namespace {

VideoPacket packet(bool config, bool key, std::vector<uint8_t> data) {
  return VideoPacket{config, key, config ? -1 : 1000, std::move(data)};
}

TEST(PacketMerger, PrependsTheConfigToTheNextPacketOnly) {
  PacketMerger merger;
  EXPECT_FALSE(merger.merge(packet(true, false, {0, 0, 0, 1, 0x67})));
  auto first = merger.merge(packet(false, true, {0, 0, 0, 1, 0x65}));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->data, (std::vector<uint8_t>{0, 0, 0, 1, 0x67, 0, 0, 0, 1, 0x65}));
  EXPECT_TRUE(first->key_frame);
  EXPECT_EQ(first->pts_us, 1000);
  auto second = merger.merge(packet(false, false, {0, 0, 0, 1, 0x41}));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->data, (std::vector<uint8_t>{0, 0, 0, 1, 0x41}));
  EXPECT_EQ(merger.last_config(), (std::vector<uint8_t>{0, 0, 0, 1, 0x67}));
}

TEST(PacketMerger, ANewerConfigReplacesAnUnusedOne) {
  PacketMerger merger;
  merger.merge(packet(true, false, {1}));
  merger.merge(packet(true, false, {2}));
  auto p = merger.merge(packet(false, true, {3}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->data, (std::vector<uint8_t>{2, 3}));
}

}  // namespace
}  // namespace cp::scrcpy
