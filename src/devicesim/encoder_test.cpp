#include "devicesim/encoder.h"

#include <gtest/gtest.h>

#include "devicesim/screen_test_support.h"
#include "devicesim/time_stamp.h"

namespace cp::devicesim {
namespace {

// The byte after the SPS NAL header is profile_idc, then the constraint flags.
std::pair<int, int> sps_profile(const std::vector<uint8_t>& annexb) {
  for (size_t i = 0; i + 5 < annexb.size(); ++i) {
    if (annexb[i] == 0 && annexb[i + 1] == 0 && annexb[i + 2] == 1 && (annexb[i + 3] & 0x1f) == 7) {
      return {annexb[i + 4], annexb[i + 5]};
    }
  }
  return {-1, -1};
}

TEST(H264Encoder, ProducesConstrainedBaselineThatFfmpegDecodes) {
  DeviceConfig device;
  Screen screen(device, testing::sample_apps());
  H264Encoder encoder(EncoderConfig{});
  const auto headers = encoder.headers();
  const auto [profile, constraints] = sps_profile(headers);
  EXPECT_EQ(profile, 66);           // Baseline
  EXPECT_TRUE(constraints & 0x40);  // constraint_set1: Constrained Baseline

  testing::H264TestDecoder decoder;
  auto first = encoder.encode(*screen.frame(), 0);
  EXPECT_TRUE(first.key_frame);
  std::vector<uint8_t> au = headers;  // config packet merged with the first frame, as scrcpy does
  au.insert(au.end(), first.annexb.begin(), first.annexb.end());
  auto pictures = decoder.decode(au);
  ASSERT_EQ(pictures.size(), 1u);  // zerolatency: one frame in, one picture out
  EXPECT_EQ(pictures[0].width, 720);
  EXPECT_EQ(pictures[0].height, 1280);

  screen.tap(360, 1000);
  auto second = encoder.encode(*screen.frame(), 33'333);
  EXPECT_FALSE(second.key_frame);
  auto next = decoder.decode(second.annexb);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_GT(testing::changed_luma(pictures[0], next[0], 360, 1000, 20), 100);

  encoder.request_keyframe();
  EXPECT_TRUE(encoder.encode(*screen.frame(), 66'666).key_frame);
}

TEST(H264Encoder, ScalesToTheConfiguredSize) {
  DeviceConfig device;
  Screen screen(device, testing::sample_apps());
  EncoderConfig config;
  config.width = 360;
  config.height = 640;
  H264Encoder encoder(config);
  testing::H264TestDecoder decoder;
  auto au = encoder.headers();
  const auto frame = encoder.encode(*screen.frame(), 0);
  au.insert(au.end(), frame.annexb.begin(), frame.annexb.end());
  const auto pictures = decoder.decode(au);
  ASSERT_EQ(pictures.size(), 1u);
  EXPECT_EQ(pictures[0].width, 360);
  EXPECT_EQ(pictures[0].height, 640);
}

TEST(H264Encoder, RejectsOddSizes) {
  EncoderConfig config;
  config.width = 721;
  EXPECT_THROW(H264Encoder{config}, std::runtime_error);
}

TEST(BgraToI420, ConvertsPrimaries) {
  // 2×2 pure white then 2×2 pure red (BGRA byte order).
  std::vector<uint8_t> bgra = {255, 255, 255, 255, 255, 255, 255, 255, 0,   0,   255,
                               255, 0,   0,   255, 255, 255, 255, 255, 255, 255, 255,
                               255, 255, 0,   0,   255, 255, 0,   0,   255, 255};
  uint8_t y[8], u[2], v[2];
  bgra_to_i420(bgra.data(), 16, 4, 2, y, 4, u, 1, v, 1);
  EXPECT_EQ(y[0], 235);
  EXPECT_EQ(u[0], 128);
  EXPECT_EQ(v[0], 128);
  EXPECT_NEAR(y[2], 82, 1);
  EXPECT_NEAR(v[1], 240, 1);
}

}  // namespace
}  // namespace cp::devicesim

namespace cp::devicesim {
namespace {

TEST(TimeStamp, DrawnCaptureTimeDecodesBackExactly) {
  DeviceConfig device;
  Screen screen(device, testing::sample_apps());
  H264Encoder encoder(EncoderConfig{});
  testing::H264TestDecoder decoder;
  std::vector<uint8_t> au = encoder.headers();
  const uint64_t t0 = 1'764'000'000'123;  // a 2025 epoch ms: more than 40 bits would need
  for (int i = 0; i < 10; ++i) {
    const uint64_t stamp = t0 + i * 16;
    auto out = encoder.encode(*screen.frame(), i * 16'000, stamp);
    au.insert(au.end(), out.annexb.begin(), out.annexb.end());
    auto pictures = decoder.decode(au);
    au.clear();
    ASSERT_EQ(pictures.size(), 1u);
    uint64_t bits = 0;
    for (int b = 0; b < kStampColumns * kStampRows; ++b) {
      const int x = (b % kStampColumns) * kStampBlock + kStampBlock / 2;
      const int y = (b / kStampColumns) * kStampBlock + kStampBlock / 2;
      bits = (bits << 1) | (pictures[0].at(x, y) > 128 ? 1 : 0);
    }
    ASSERT_TRUE(stamp_value(bits).has_value()) << "frame " << i;
    EXPECT_EQ(*stamp_value(bits), stamp & ((uint64_t{1} << 40) - 1));
  }
  EXPECT_FALSE(stamp_value(stamp_bits(t0) ^ 0x100).has_value());  // one flipped bit is caught
}

}  // namespace
}  // namespace cp::devicesim
