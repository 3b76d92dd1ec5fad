// Mp4Writer with real H.264 from the simulator's encoder, checked by ffprobe (an independent
// demuxer and decoder): size, frame count, duration, key frames.
#include "services/media/mp4_mux.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstring>

#include "devicesim/encoder.h"
#include "devicesim/screen.h"

namespace cp::media {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

devicesim::Frame test_frame(int w, int h, int i) {
  devicesim::Frame f;
  f.width = w;
  f.height = h;
  f.stride = w * 4;
  f.bgra.resize(static_cast<size_t>(f.stride) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &f.bgra[static_cast<size_t>(y) * f.stride + x * 4];
      p[0] = static_cast<uint8_t>(x + i * 4);
      p[1] = static_cast<uint8_t>(y);
      p[2] = static_cast<uint8_t>((x + y) / 2);
      p[3] = 255;
    }
  }
  return f;
}

class Mp4WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cp-mp4-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(Mp4WriterTest, TwoSecondsAt30FpsProbeAsH264OfTheRightSizeAndDuration) {
  ASSERT_EQ(std::system("command -v ffprobe >/dev/null"), 0)
      << "ffprobe is needed (Debian package ffmpeg, scripts/install-deps.sh)";
  devicesim::EncoderConfig config;
  config.width = 320;
  config.height = 240;
  config.fps = 30;
  config.keyframe_interval_s = 1;
  devicesim::H264Encoder encoder(config);
  Mp4Writer mp4(dir_ / "spool");
  mp4.set_config(encoder.headers());
  int keys = 0;
  for (int i = 0; i < 60; ++i) {
    const auto frame = test_frame(320, 240, i);
    const int64_t pts = 5'000'000 + i * 33'333;  // a stream that started long before
    const auto out = encoder.encode(frame, pts);
    keys += out.key_frame ? 1 : 0;
    EXPECT_TRUE(mp4.add(out.annexb, out.key_frame, pts));
  }
  EXPECT_GE(keys, 2);
  EXPECT_EQ(mp4.samples(), 60u);
  EXPECT_EQ(mp4.width(), 320);
  EXPECT_EQ(mp4.height(), 240);
  const auto file = dir_ / "out.mp4";
  mp4.finish(file, 5'000'000 + 60 * 33'333);
  const auto json =
      run("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
          "stream=codec_name,width,height,nb_read_frames,profile -show_entries "
          "format=duration,format_name -of json " +
          file.string() + " 2>&1");
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  ASSERT_FALSE(ec) << json;
  const auto& stream = value.at("streams").at(0).as_object();
  EXPECT_EQ(stream.at("codec_name").as_string(), "h264");
  EXPECT_EQ(stream.at("width").as_int64(), 320);
  EXPECT_EQ(stream.at("height").as_int64(), 240);
  EXPECT_EQ(stream.at("nb_read_frames").as_string(), "60") << json;  // every frame decodes
  const double duration = std::stod(std::string(value.at("format").at("duration").as_string()));
  EXPECT_NEAR(duration, 2.0, 0.05) << json;
  // Decoding the whole file reports no errors.
  EXPECT_EQ(run("ffmpeg -v error -i " + file.string() + " -f null - 2>&1"), "");
}

TEST_F(Mp4WriterTest, WaitsForAKeyFrameAndStopsAtAParameterSetChange) {
  devicesim::EncoderConfig small;
  small.width = 64;
  small.height = 64;
  devicesim::H264Encoder a(small);
  Mp4Writer mp4(dir_ / "spool");
  mp4.set_config(a.headers());
  auto first = a.encode(test_frame(64, 64, 0), 0);
  ASSERT_TRUE(first.key_frame);
  auto delta = a.encode(test_frame(64, 64, 1), 33'000);
  ASSERT_FALSE(delta.key_frame);
  EXPECT_FALSE(mp4.add(delta.annexb, false, 33'000));  // no key frame yet
  EXPECT_TRUE(mp4.add(first.annexb, true, 40'000));
  devicesim::EncoderConfig big = small;
  big.width = 128;
  devicesim::H264Encoder b(big);
  auto other = b.encode(test_frame(128, 64, 0), 80'000);
  EXPECT_FALSE(mp4.add(other.annexb, true, 80'000));  // a new size needs a new file
  EXPECT_EQ(mp4.samples(), 1u);
  EXPECT_THROW(Mp4Writer(dir_ / "spool2").finish(dir_ / "empty.mp4", 0), Mp4Error);
}

}  // namespace
}  // namespace cp::media
