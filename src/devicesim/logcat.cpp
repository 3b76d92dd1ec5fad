#include "devicesim/logcat.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace cp::devicesim {
namespace {

// "MM-DD HH:MM:SS.mmm" in local time, as Android's threadtime format prints it.
std::string timestamp_now() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d-%02d %02d:%02d:%02d.%03d", tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms.count() % 1000));
  return buf;
}

}  // namespace

Logcat::Logcat(size_t max_lines) : max_lines_(max_lines == 0 ? 1 : max_lines) {}

void Logcat::append(Priority priority, std::string_view tag, std::string_view message, int pid,
                    int tid) {
  const std::string stamp = timestamp_now();
  char header[128];
  // Android pads the tag to 8 columns: "%5d %5d %c %-8s: ".
  std::snprintf(header, sizeof header, "%s %5d %5d %c %-8.*s: ", stamp.c_str(), pid, tid,
                static_cast<char>(priority), static_cast<int>(std::min<size_t>(tag.size(), 64)),
                tag.data());
  std::lock_guard lock(mu_);
  size_t start = 0;
  do {
    size_t end = message.find('\n', start);
    if (end == std::string_view::npos) {
      end = message.size();
    }
    lines_.push_back({next_seq_++, header + std::string(message.substr(start, end - start))});
    if (lines_.size() > max_lines_) {
      lines_.pop_front();
    }
    start = end + 1;
  } while (start < message.size());
}

std::string Logcat::dump() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const Line& line : lines_) {
    out += line.text;
    out += '\n';
  }
  return out;
}

std::vector<std::string> Logcat::lines_since(uint64_t after_seq, uint64_t& next_seq) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const Line& line : lines_) {
    if (line.seq > after_seq) {
      out.push_back(line.text);
    }
  }
  next_seq = next_seq_ - 1;
  return out;
}

void Logcat::clear() {
  std::lock_guard lock(mu_);
  lines_.clear();
}

size_t Logcat::size() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

}  // namespace cp::devicesim
