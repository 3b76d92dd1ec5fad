#include "services/media/coords.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cp::media {
namespace {

using scrcpy::Position;
constexpr FrameSize kPortrait{720, 1280};

TEST(MapToDevice, SameSizeIsIdentity) {
  EXPECT_EQ(map_to_device({200, 1000, 720, 1280}, kPortrait), (Position{200, 1000, 720, 1280}));
}

TEST(MapToDevice, ScaledDown) {
  EXPECT_EQ(map_to_device({100, 500, 360, 640}, kPortrait), (Position{200, 1000, 720, 1280}));
}

TEST(MapToDevice, PillarboxedInAWideElement) {
  // 720x1280 in a 1000x640 element: scale 0.5, picture 360 wide centred → 320 px bars.
  EXPECT_EQ(map_to_device({320, 0, 1000, 640}, kPortrait), (Position{0, 0, 720, 1280}));
  EXPECT_EQ(map_to_device({420, 500, 1000, 640}, kPortrait), (Position{200, 1000, 720, 1280}));
  EXPECT_EQ(map_to_device({100, 300, 1000, 640}, kPortrait), std::nullopt);  // in the bar
  EXPECT_EQ(map_to_device({100, 300, 1000, 640}, kPortrait, 0, true),
            (Position{0, 600, 720, 1280}));  // clamped to the left edge
}

TEST(MapToDevice, LetterboxedInATallElement) {
  // 720x1280 in a 360x800 element: scale 0.5, picture 640 tall → 80 px bars top and bottom.
  EXPECT_EQ(map_to_device({100, 580, 360, 800}, kPortrait), (Position{200, 1000, 720, 1280}));
  EXPECT_EQ(map_to_device({100, 20, 360, 800}, kPortrait), std::nullopt);
  EXPECT_EQ(map_to_device({100, 790, 360, 800}, kPortrait, 0, true),
            (Position{200, 1279, 720, 1280}));
}

TEST(MapToDevice, LandscapeFrameAfterDeviceRotation) {
  EXPECT_EQ(map_to_device({640, 360, 1280, 720}, FrameSize{1280, 720}),
            (Position{640, 360, 1280, 720}));
}

TEST(MapToDevice, CssRotatedPicture) {
  // Portrait frame shown rotated 90° clockwise in a 1280x720 element (1:1 scale).
  // Frame top-left (0,0) appears at the displayed top-right.
  EXPECT_EQ(map_to_device({1279.5, 0.5, 1280, 720}, kPortrait, 90), (Position{0, 0, 720, 1280}));
  EXPECT_EQ(map_to_device({0.5, 0.5, 1280, 720}, kPortrait, 270), (Position{719, 0, 720, 1280}));
  EXPECT_EQ(map_to_device({0.5, 0.5, 720, 1280}, kPortrait, 180), (Position{719, 1279, 720, 1280}));
  EXPECT_EQ(map_to_device({0.5, 0.5, 720, 1280}, kPortrait, -180), (Position{719, 1279, 720, 1280}));
}

TEST(MapToDevice, RejectsDegenerateInput) {
  EXPECT_EQ(map_to_device({1, 1, 0, 100}, kPortrait), std::nullopt);
  EXPECT_EQ(map_to_device({1, 1, 100, 100}, FrameSize{0, 0}), std::nullopt);
  EXPECT_EQ(map_to_device({1, 1, 100, 100}, kPortrait, 45), std::nullopt);
  EXPECT_EQ(map_to_device({std::nan(""), 1, 100, 100}, kPortrait), std::nullopt);
  EXPECT_EQ(map_to_device({1, 1, INFINITY, 100}, kPortrait), std::nullopt);
}

}  // namespace
}  // namespace cp::media
