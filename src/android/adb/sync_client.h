#pragma once
// Host side of the `sync:` service over one ADB stream: stat, list, push, pull (protocols.md §3).
// Every blocking step is bounded by io_timeout; a lost device surfaces as AdbError.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "android/adb/adb_stream.h"
#include "android/adb/sync_protocol.h"

namespace cp::adb {

class SyncClient {
 public:
  SyncClient(std::shared_ptr<AdbStream> stream, bool stat_v2, bool ls_v2, Millis io_timeout);
  ~SyncClient();  // QUIT + close (errors ignored: the device may already be gone)
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  // Follows symlinks with stat_v2 (STA2), else v1 STAT (missing file = mode 0, error ENOENT).
  sync::FileStat stat(const std::string& remote);
  std::vector<sync::DirEntry> list(const std::string& remote);
  // Uploads a local file; `mode` is the full st_mode (default: regular file 0644).
  void push(const std::filesystem::path& local, const std::string& remote, uint32_t mode = 0100644);
  void push_bytes(std::string_view data, const std::string& remote, uint32_t mode = 0100644,
                  int64_t mtime = 0);
  void pull(const std::string& remote, const std::filesystem::path& local);
  std::string pull_bytes(const std::string& remote);
  void quit();

 private:
  template <typename Sink>
  void receive(const std::string& remote, Sink&& sink);
  void send_request(uint32_t id, std::string_view path);
  void write(const std::vector<uint8_t>& bytes);
  void read_exact(void* dst, size_t n);
  uint32_t read_u32();
  void check_status(const std::string& what);

  std::shared_ptr<AdbStream> stream_;
  bool stat_v2_;
  bool ls_v2_;
  Millis io_timeout_;
  bool quit_ = false;
};

}  // namespace cp::adb
