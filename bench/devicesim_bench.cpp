// Cost of the simulated device's video path at 720×1280: rendering a changed frame with cairo,
// encoding it with x264 (ultrafast, zerolatency, baseline), and both together. Touches keep the
// picture changing so every iteration really renders. Reports frames/s and CPU per frame
// (benchmark's "CPU" column is per iteration = per frame).
#include <benchmark/benchmark.h>

#include "devicesim/encoder.h"
#include "devicesim/screen.h"

namespace cp::devicesim {
namespace {

std::vector<LauncherApp> bench_apps() {
  std::vector<LauncherApp> apps;
  for (int i = 0; i < 12; ++i) {
    apps.push_back({"com.bench.app" + std::to_string(i), "App " + std::to_string(i), {}, true});
  }
  return apps;
}

void touch_somewhere(Screen& screen, int64_t i) {
  const int x = 40 + static_cast<int>(i * 37 % 640);
  const int y = 300 + static_cast<int>(i * 53 % 800);
  screen.touch(0, 0, x, y, 1.0f);
  screen.touch(1, 0, x, y, 0.0f);
}

void BM_RenderFrame(benchmark::State& state) {
  Screen screen(DeviceConfig{}, bench_apps());
  int64_t i = 0;
  for (auto _ : state) {
    touch_somewhere(screen, i++);
    benchmark::DoNotOptimize(screen.frame());
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RenderFrame)->Unit(benchmark::kMillisecond);

void BM_EncodeFrame(benchmark::State& state) {
  Screen screen(DeviceConfig{}, bench_apps());
  H264Encoder encoder(EncoderConfig{});
  int64_t i = 0;
  std::vector<std::shared_ptr<const Frame>> frames;
  for (int k = 0; k < 8; ++k) {
    touch_somewhere(screen, k);
    frames.push_back(screen.frame());
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(encoder.encode(*frames[i % frames.size()], i * 33'333));
    ++i;
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeFrame)->Unit(benchmark::kMillisecond);

void BM_RenderAndEncodeFrame(benchmark::State& state) {
  Screen screen(DeviceConfig{}, bench_apps());
  screen.launch("com.bench.app0");
  H264Encoder encoder(EncoderConfig{});
  int64_t i = 0;
  for (auto _ : state) {
    touch_somewhere(screen, i);
    benchmark::DoNotOptimize(encoder.encode(*screen.frame(), i * 33'333));
    ++i;
  }
  state.counters["fps"] = benchmark::Counter(static_cast<double>(i), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RenderAndEncodeFrame)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cp::devicesim
