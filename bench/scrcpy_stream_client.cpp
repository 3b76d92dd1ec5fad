// Measuring scrcpy client for scripts/bench-devicesim.sh (not a Google Benchmark program: it runs
// against real `cloudphone devicesim` processes).
//   cp_bench_scrcpy_client stream PORT SECONDS [DEVICE_PID]   stream over ADB while dragging a
//       finger across the screen; prints one JSON line: video packets, frames/s, bitrate, this
//       client's CPU and (with DEVICE_PID) the device process's CPU over the same window.
//   cp_bench_scrcpy_client boot-check PORT...   `getprop sys.boot_completed` on each device;
//       prints "ok N/M" and exits 1 unless every device answered "1".
#include <sys/resource.h>

#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>

#include "android/adb/adb_connection.h"
#include "android/scrcpy/scrcpy_session.h"

namespace {

using namespace std::chrono_literals;
namespace sc = cp::scrcpy;
using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process in seconds (/proc/PID/stat fields 14 and 15); 0 without pid.
double process_cpu_seconds(int pid) {
  if (pid <= 0) {
    return 0;
  }
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');  // the command name may contain spaces
  if (close == std::string::npos) {
    return 0;
  }
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) {
      ticks += std::stod(field);
    }
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int stream(uint16_t port, double seconds, int device_pid) {
  auto conn = cp::adb::AdbConnection::connect("127.0.0.1", port);
  const auto jar = std::filesystem::temp_directory_path() /
                   ("cp-bench-scrcpy-" + std::to_string(getpid()) + ".jar");
  std::ofstream(jar) << "placeholder: the simulator only needs the file to exist\n";

  std::atomic<uint64_t> frames{0}, key_frames{0}, configs{0}, bytes{0};
  sc::ScrcpySessionOptions options;
  options.push_server_from = jar;
  auto session = sc::ScrcpySession::start(*conn, options,
                                          {[&](sc::VideoPacket&& p) {
                                             bytes += p.data.size();
                                             if (p.config) {
                                               ++configs;
                                             } else {
                                               ++frames;
                                               key_frames += p.key_frame;
                                             }
                                           },
                                           nullptr, nullptr});
  std::filesystem::remove(jar);
  const auto w = static_cast<int32_t>(session->codec().width);
  const auto h = static_cast<int32_t>(session->codec().height);
  auto pos = [&](int32_t x, int32_t y) {
    return sc::Position{x, y, static_cast<uint16_t>(w), static_cast<uint16_t>(h)};
  };

  // Warm-up, then measure. Input: a finger dragged left↔right across the middle band of the
  // screen, a move every 10 ms, lifted and put down again every second.
  std::this_thread::sleep_for(1s);
  const uint64_t frames0 = frames, bytes0 = bytes;
  const double cpu0 = cpu_seconds();
  const double device_cpu0 = process_cpu_seconds(device_pid);
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  int step = 0;
  while (Clock::now() < end && session->running()) {
    const int32_t y = h / 3 + (step / 100 % 4) * h / 12;
    if (step % 100 == 0) {
      session->send(sc::InjectTouch{sc::MotionAction::kDown, 1, pos(w / 8, y), 1.0f, 0, 0});
    }
    const int32_t x = w / 8 + (step % 100) * (w * 3 / 4) / 100;
    session->send(sc::InjectTouch{sc::MotionAction::kMove, 1, pos(x, y), 1.0f, 0, 0});
    if (step % 100 == 99) {
      session->send(sc::InjectTouch{sc::MotionAction::kUp, 1, pos(x, y), 0.0f, 0, 0});
    }
    ++step;
    std::this_thread::sleep_for(10ms);
  }
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu0;
  const double device_cpu = process_cpu_seconds(device_pid) - device_cpu0;
  const uint64_t n = frames - frames0;
  const double kbits = static_cast<double>(bytes - bytes0) * 8 / 1000;
  const std::string error = session->error();
  session->stop();
  std::printf(
      "{\"frames\":%llu,\"seconds\":%.2f,\"fps\":%.1f,\"kbps\":%.0f,\"key_frames\":%llu,"
      "\"config_packets\":%llu,\"client_cpu_pct\":%.1f,\"device_cpu_pct\":%.1f,\"size\":\"%dx%d\","
      "\"error\":\"%s\"}\n",
      static_cast<unsigned long long>(n), wall, static_cast<double>(n) / wall, kbits / wall,
      static_cast<unsigned long long>(key_frames.load()),
      static_cast<unsigned long long>(configs.load()), 100.0 * cpu / wall,
      100.0 * device_cpu / wall, w, h, error.c_str());
  return error.empty() ? 0 : 1;
}

int boot_check(int argc, char** argv) {
  int ok = 0;
  for (int i = 0; i < argc; ++i) {
    try {
      auto conn = cp::adb::AdbConnection::connect(
          "127.0.0.1", static_cast<uint16_t>(std::stoi(argv[i])), {.connect_timeout = 5s});
      ok += conn->shell("getprop sys.boot_completed", 5s).out == "1\n";
    } catch (const std::exception& e) {
      std::fprintf(stderr, "port %s: %s\n", argv[i], e.what());
    }
  }
  std::printf("ok %d/%d\n", ok, argc);
  return ok == argc ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "stream" && (argc == 4 || argc == 5)) {
      return stream(static_cast<uint16_t>(std::stoi(argv[2])), std::stod(argv[3]),
                    argc == 5 ? std::stoi(argv[4]) : 0);
    }
    if (mode == "boot-check" && argc >= 3) {
      return boot_check(argc - 2, argv + 2);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cp_bench_scrcpy_client: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: %s stream PORT SECONDS [DEVICE_PID] | boot-check PORT...\n",
               argv[0]);
  return 2;
}
