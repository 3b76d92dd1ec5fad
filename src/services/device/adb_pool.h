#pragma once
// One shared ADB connection per device (AdbConnection multiplexes streams, so exec, files,
// screenshots, installs, logcat and the health monitor's heartbeat all share it). A dead
// connection is replaced on the next use; after a failed connect, further attempts to the same
// endpoint wait for an exponential backoff and fail fast meanwhile, so a dead device costs at
// most one connect timeout, never a hung request. A new endpoint (the runtime restarted the
// instance) is tried at once.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "android/adb/adb_connection.h"
#include "runtime/device_runtime.h"

namespace cp::device {

struct AdbPoolOptions {
  std::chrono::milliseconds connect_timeout{3'000};
  std::chrono::milliseconds io_timeout{30'000};  // each blocking step of a stream
  std::chrono::milliseconds first_backoff{250};
  std::chrono::milliseconds max_backoff{10'000};
};

// Pure: the wait after `failures` failed connects in a row (1-based), doubling up to the max.
std::chrono::milliseconds adb_backoff(const AdbPoolOptions& options, int failures);

// The device cannot be reached now; what() says why (and when the next attempt is allowed).
struct AdbUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class AdbPool {
 public:
  explicit AdbPool(AdbPoolOptions options = {}) : options_(options) {}

  // The device's live connection to `endpoint`, connecting when there is none. Throws
  // AdbUnavailable when the connect fails or the endpoint is backing off.
  std::shared_ptr<adb::AdbConnection> get(const std::string& device_id,
                                          const runtime::AdbEndpoint& endpoint);
  // Forgets the device's connection (stopped, deleted, restarted); users keep theirs until done.
  void drop(const std::string& device_id);
  // After an ADB error on `conn`: forgets it when it is dead, or always with `force` (a
  // timeout: a stopped process keeps its socket open), so the next get() reconnects.
  void failed(const std::string& device_id, const std::shared_ptr<adb::AdbConnection>& conn,
              bool force = false);

  struct Stats {
    int64_t connects = 0;  // successful connects
    int64_t reuses = 0;    // get() answered with an existing connection
    int64_t connect_failures = 0;
    int64_t fast_failures = 0;  // refused during a backoff, without trying
    size_t open = 0;            // devices with a live connection now
  };
  Stats stats();

 private:
  struct Entry {
    std::mutex connect_mu;  // one connect attempt at a time per device
    std::shared_ptr<adb::AdbConnection> conn;
    runtime::AdbEndpoint endpoint;
    int failures = 0;
    std::chrono::steady_clock::time_point retry_at;
    std::string last_error;
  };
  std::shared_ptr<Entry> entry(const std::string& device_id);

  AdbPoolOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;
  Stats stats_;
};

}  // namespace cp::device
