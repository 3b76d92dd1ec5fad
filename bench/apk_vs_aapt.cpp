// APK parse time of our reader against Debian's `aapt dump badging`, on the same files in the
// same run. For every *.apk in the directory: median of N in-process read_apk(path) calls, and
// median of N `aapt dump badging` runs (a process per run: what calling aapt would cost).
// Usage: cp_bench_apk_vs_aapt DIR [N]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "android/apk/apk_reader.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double median_us(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double run_aapt(const std::string& apk) {
  std::vector<std::string> args{"aapt", "dump", "badging", apk};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  auto start = Clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, "aapt", &fa, nullptr, argv.data(), environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  posix_spawn_file_actions_destroy(&fa);
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s APK_DIR [N]\n", argv[0]);
    return 2;
  }
  int n = argc > 2 ? std::atoi(argv[2]) : 50;
  std::vector<std::filesystem::path> apks;
  for (const auto& f : std::filesystem::directory_iterator(argv[1])) {
    if (f.path().extension() == ".apk") apks.push_back(f.path());
  }
  std::sort(apks.begin(), apks.end());
  std::printf("%-14s %10s %14s %16s %8s\n", "apk", "bytes", "reader_us(p50)", "aapt_badging_us",
              "ratio");
  for (const auto& apk : apks) {
    std::vector<double> ours, theirs;
    for (int i = 0; i < n; ++i) {
      auto start = Clock::now();
      auto info = cp::apk::read_apk(apk);
      ours.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      if (info.package.empty()) return 1;
    }
    for (int i = 0; i < n; ++i) {
      double t = run_aapt(apk.string());
      if (t < 0) {
        std::fprintf(stderr, "aapt not found (apt-get install aapt)\n");
        return 1;
      }
      theirs.push_back(t);
    }
    double a = median_us(ours), b = median_us(theirs);
    std::printf("%-14s %10ju %14.1f %16.1f %7.1fx\n", apk.filename().c_str(),
                static_cast<uintmax_t>(std::filesystem::file_size(apk)), a, b, b / a);
  }
  return 0;
}
