#pragma once
// The simulated device's log buffer: what `logcat -d` prints. Parts of the simulator append
// lines (installs, launches, input); the buffer is bounded so a long-running device does not
// grow without limit. Lines use Android's `threadtime` format:
//   MM-DD HH:MM:SS.mmm  PID  TID P TAG     : message
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cp::devicesim {

class Logcat {
 public:
  enum class Priority : char {
    kVerbose = 'V',
    kDebug = 'D',
    kInfo = 'I',
    kWarn = 'W',
    kError = 'E',
    kFatal = 'F',
  };

  explicit Logcat(size_t max_lines = 10'000);

  // A message with several lines becomes several log lines, as on Android.
  void append(Priority priority, std::string_view tag, std::string_view message, int pid = 1000,
              int tid = 1000);
  void info(std::string_view tag, std::string_view message) {
    append(Priority::kInfo, tag, message);
  }
  void warn(std::string_view tag, std::string_view message) {
    append(Priority::kWarn, tag, message);
  }

  // Every buffered line, each ending in '\n'.
  std::string dump() const;
  // Lines appended after the line numbered `after_seq` (0 = all buffered); `next_seq` receives
  // the number to pass next time. Lets `logcat` without -d follow the log.
  std::vector<std::string> lines_since(uint64_t after_seq, uint64_t& next_seq) const;
  void clear();
  size_t size() const;

 private:
  struct Line {
    uint64_t seq;
    std::string text;
  };
  const size_t max_lines_;
  mutable std::mutex mu_;
  std::deque<Line> lines_;
  uint64_t next_seq_ = 1;
};

}  // namespace cp::devicesim
