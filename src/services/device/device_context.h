#pragma once
// What the device service's operations need: the core database, the runtime, settings, the
// caller's quota (read from the user service) and the job queue for background device work.
#include <chrono>
#include <functional>

#include "core/config.h"
#include "core/identity.h"
#include "platform/db.h"
#include "runtime/device_runtime.h"
#include "services/device/job_queue.h"

namespace cp::device {

struct DeviceSettings {
  std::string runtime = "process";
  std::chrono::milliseconds boot_timeout{60'000};
  std::chrono::milliseconds exec_timeout{30'000};
  std::chrono::milliseconds adb_connect_timeout{3'000};
  std::chrono::milliseconds install_timeout{120'000};
  std::chrono::milliseconds stop_grace{5'000};
  std::chrono::milliseconds monitor_interval{2'000};
  size_t output_limit = 1 << 20;  // exec stdout/stderr and logcat, each
  int workers = 4;
  int batch_max = 100;         // device ids in one batch
  int batch_concurrency = 8;   // batch items running at once (all batches together)
  bool reconcile_restart = true;  // on start: restart lost instances (else mark them stopped)

  static DeviceSettings from_config(const Config& config);
};

struct QuotaLimits {
  int64_t max_devices = 0;  // 0 = none allowed
  int64_t max_cpu_cores = 0;
  int64_t max_memory_mb = 0;
};
// The caller's quota; throws ApiError (503) when the user service cannot say.
using QuotaLookup = std::function<QuotaLimits(const http::Identity& caller, const std::string& request_id)>;

// Is Android up at this endpoint? Empty = ask over ADB for sys.boot_completed (tests replace it).
// Returns "" when ready, else what is missing.
using ReadyProbe = std::function<std::string(const runtime::AdbEndpoint& endpoint)>;

struct DeviceContext {
  db::Database& db;
  runtime::DeviceRuntime& runtime;
  DeviceSettings settings;
  QuotaLookup quota;
  JobQueue jobs;
  JobQueue batch_jobs;  // one job per batch item; batch_concurrency workers
  ReadyProbe ready_probe;

  DeviceContext(db::Database& database, runtime::DeviceRuntime& rt, DeviceSettings s, QuotaLookup q)
      : db(database), runtime(rt), settings(std::move(s)), quota(std::move(q)) {}
};

}  // namespace cp::device
