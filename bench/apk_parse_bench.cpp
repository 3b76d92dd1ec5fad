// How long reading an APK takes (manifest + resources + icon), on the largest test APK.
// Needs CP_TEST_APK_DIR (the `testapks` fixture's output, e.g. build/test-apks).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "android/apk/apk_reader.h"

namespace {

std::filesystem::path largest_test_apk() {
  const char* dir = std::getenv("CP_TEST_APK_DIR");
  if (dir == nullptr || !std::filesystem::is_directory(dir)) {
    return {};
  }
  std::filesystem::path largest;
  uintmax_t largest_size = 0;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (file.path().extension() == ".apk" && file.file_size() > largest_size) {
      largest = file.path();
      largest_size = file.file_size();
    }
  }
  return largest;
}

void BM_ReadApkFromMemory(benchmark::State& state) {
  std::filesystem::path apk = largest_test_apk();
  if (apk.empty()) {
    state.SkipWithError("set CP_TEST_APK_DIR to a directory of test APKs");
    return;
  }
  std::ifstream in(apk, std::ios::binary);
  std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  for (auto _ : state) {
    benchmark::DoNotOptimize(cp::apk::read_apk(std::span<const uint8_t>(bytes)));
  }
}
BENCHMARK(BM_ReadApkFromMemory);

void BM_ReadApkFromFile(benchmark::State& state) {
  std::filesystem::path apk = largest_test_apk();
  if (apk.empty()) {
    state.SkipWithError("set CP_TEST_APK_DIR to a directory of test APKs");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(cp::apk::read_apk(apk));
  }
}
BENCHMARK(BM_ReadApkFromFile);

}  // namespace
