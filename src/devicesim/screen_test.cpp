#include "devicesim/screen.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "devicesim/screen_test_support.h"
#include "devicesim/screen_ui.h"

namespace cp::devicesim {
namespace {

using testing::changed_pixels;

class ScreenTest : public ::testing::Test {
 protected:
  DeviceConfig config_;  // 720×1280, 320 dpi
  Screen screen_{config_, testing::sample_apps()};

  void save_png(const std::string& name) {
    const auto png = screen_.screenshot_png();
    std::ofstream(::testing::TempDir() + name, std::ios::binary)
        .write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  }
};

TEST_F(ScreenTest, RendersAPhoneSizedFrameAndPng) {
  const auto frame = screen_.frame();
  ASSERT_EQ(frame->width, 720);
  ASSERT_EQ(frame->height, 1280);
  ASSERT_EQ(frame->bgra.size(), static_cast<size_t>(frame->stride) * 1280);
  // Navigation bar is near black, the wallpaper in the middle is not.
  const auto px = [&](int x, int y) {
    return frame->bgra[static_cast<size_t>(y) * frame->stride + x * 4];
  };
  EXPECT_LT(px(10, 1270), 40);
  EXPECT_GT(px(10, 640), 40);
  const auto png = screen_.screenshot_png();
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png[1], 'P');
  save_png("screen_home.png");
}

TEST_F(ScreenTest, IdleScreenIsNotRerendered) {
  const auto a = screen_.frame();
  const auto b = screen_.frame();
  EXPECT_EQ(a->generation, b->generation);  // (fails only if the minute turns in between)
  screen_.key(29);                          // 'a' into the home search field
  EXPECT_GT(screen_.frame()->generation, b->generation);
}

TEST_F(ScreenTest, TouchFeedbackChangesPixelsNearThePoint) {
  const auto before = screen_.frame();
  screen_.touch(0, 7, 360, 1000, 1.0f);
  const auto during = screen_.frame();
  EXPECT_GT(changed_pixels(*before, *during, 360, 1000, 20), 300);
  EXPECT_EQ(changed_pixels(*before, *during, 100, 300, 20), 0);  // far away: untouched
  screen_.touch(1, 7, 360, 1000, 0.0f);
  EXPECT_EQ(screen_.touch_count(), 1u);
  // The ripple fades: after its lifetime the picture returns to the idle one.
  std::this_thread::sleep_for(kRippleLifetime + std::chrono::milliseconds(50));
  const auto after = screen_.frame();
  EXPECT_EQ(changed_pixels(*before, *after, 360, 1000, 20), 0);
}

TEST_F(ScreenTest, TappingAnIconLaunchesTheAppWindow) {
  const auto home = screen_.frame();
  // First grid cell at dp = 2: x 16..180, y 48+240 .. +192 (launcher_view.cpp).
  screen_.tap(98, 340);
  EXPECT_EQ(screen_.foreground_package(), "com.example.notes");
  const auto app = screen_.frame();
  EXPECT_GT(changed_pixels(*home, *app, 360, 150, 60), 1000);  // title bar replaced wallpaper
  save_png("screen_app.png");
  screen_.key(4);  // BACK
  EXPECT_EQ(screen_.foreground_package(), "");
}

TEST_F(ScreenTest, TypedTextShowsInTheAppTextField) {
  ASSERT_TRUE(screen_.launch("org.demo.camera"));
  EXPECT_FALSE(screen_.launch("not.installed"));
  const auto empty = screen_.frame();
  screen_.text("Hello SIMULATOR ✓");
  const auto typed = screen_.frame();
  EXPECT_GT(changed_pixels(*empty, *typed, testing::kTextFieldX + 100, testing::kTextFieldY, 40),
            100);
  save_png("screen_text.png");
  screen_.key(67);  // DEL removes the multi-byte check mark as one character
  screen_.copy_focused_text(false);
  EXPECT_EQ(screen_.clipboard(), "Hello SIMULATOR ");
}

TEST_F(ScreenTest, RecentsAndForceStop) {
  screen_.launch("com.example.maps");
  screen_.key(187);  // APP_SWITCH
  EXPECT_EQ(screen_.foreground_package(), "");
  screen_.key(4);
  EXPECT_EQ(screen_.foreground_package(), "com.example.maps");
  screen_.force_stop("com.example.maps");
  EXPECT_EQ(screen_.foreground_package(), "");
}

TEST_F(ScreenTest, RotateSwapsTheSize) {
  screen_.rotate();
  EXPECT_EQ(screen_.width(), 1280);
  const auto frame = screen_.frame();
  EXPECT_EQ(frame->width, 1280);
  EXPECT_EQ(frame->height, 720);
  save_png("screen_landscape.png");
}

TEST_F(ScreenTest, ClipboardListenersSeeChangesAndPasteTypes) {
  std::string seen;
  const int id = screen_.subscribe_clipboard([&](const std::string& t) { seen = t; });
  screen_.set_clipboard("copied");
  EXPECT_EQ(seen, "copied");
  screen_.unsubscribe_clipboard(id);
  screen_.launch("com.example.notes");
  screen_.paste();
  screen_.copy_focused_text(true);  // cut
  EXPECT_EQ(screen_.clipboard(), "copied");
}

TEST_F(ScreenTest, ScreenOffIsBlackAndIgnoresTouches) {
  screen_.key(26);  // POWER
  EXPECT_FALSE(screen_.screen_on());
  screen_.tap(100, 100);
  EXPECT_EQ(screen_.touch_count(), 0u);
  const auto frame = screen_.frame();
  EXPECT_EQ(frame->bgra[static_cast<size_t>(640) * frame->stride + 360 * 4], 0);
}

}  // namespace
}  // namespace cp::devicesim
