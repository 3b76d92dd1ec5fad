#pragma once
// What the device service's operations need: the core database, the runtime, settings, the
// caller's quota (read from the user service) and the job queue for background device work.
#include <chrono>
#include <functional>

#include "core/config.h"
#include "core/identity.h"
#include "platform/db.h"
#include "runtime/device_runtime.h"
#include "services/device/adb_pool.h"
#include "core/job_queue.h"

namespace cp::device {

struct DeviceSettings {
  std::string runtime = "process";
  std::chrono::milliseconds boot_timeout{60'000};
  std::chrono::milliseconds exec_timeout{30'000};
  std::chrono::milliseconds adb_connect_timeout{3'000};
  std::chrono::milliseconds install_timeout{120'000};
  std::chrono::milliseconds stop_grace{5'000};
  std::chrono::milliseconds monitor_interval{2'000};
  std::chrono::milliseconds adb_first_backoff{250};  // pool: wait after a failed connect, doubling
  std::chrono::milliseconds adb_max_backoff{10'000};
  size_t pull_limit = 256u << 20;  // GET .../files answers from memory: larger files are refused
  size_t output_limit = 1 << 20;   // exec stdout/stderr and logcat, each
  // Device jobs run at once. A provisioning job holds its worker while the runtime starts the
  // instance and until Android is up. On 2 cores 4 beat 16 for 20 concurrent creates (process
  // p50 336 vs 524 ms, podman 2.3 vs 3.7 s; docs/performance.md): starting everything at once
  // only makes every device wait for the CPU.
  int workers = 4;
  int batch_max = 100;            // device ids in one batch
  int batch_concurrency = 8;      // batch items running at once (all batches together)
  bool reconcile_restart = true;  // on start: restart lost instances (else mark them stopped)

  static DeviceSettings from_config(const Config& config);
};

struct QuotaLimits {
  int64_t max_devices = 0;  // 0 = none allowed
  int64_t max_cpu_cores = 0;
  int64_t max_memory_mb = 0;
};
// The caller's quota; throws ApiError (503) when the user service cannot say.
using QuotaLookup =
    std::function<QuotaLimits(const http::Identity& caller, const std::string& request_id)>;

// Is Android up at this endpoint? Empty = ask over ADB for sys.boot_completed (tests replace it).
// Returns "" when ready, else what is missing.
using ReadyProbe = std::function<std::string(const runtime::AdbEndpoint& endpoint)>;

struct DeviceContext {
  db::Database& db;
  runtime::DeviceRuntime& runtime;
  DeviceSettings settings;
  QuotaLookup quota;
  JobQueue jobs{"device"};
  JobQueue batch_jobs{"device.batch"};  // one job per batch item; batch_concurrency workers
  ReadyProbe ready_probe;
  AdbPool adb;  // one shared connection per device (operations and the health monitor)

  DeviceContext(db::Database& database, runtime::DeviceRuntime& rt, DeviceSettings s, QuotaLookup q)
      : db(database),
        runtime(rt),
        settings(std::move(s)),
        quota(std::move(q)),
        adb(AdbPoolOptions{settings.adb_connect_timeout, settings.exec_timeout,
                           settings.adb_first_backoff, settings.adb_max_backoff}) {}
};

}  // namespace cp::device
