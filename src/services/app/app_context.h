#pragma once
// What the app service's operations need: the core database, the object store, the device
// service (as the caller), settings, and the job queue that runs install items.
#include <chrono>
#include <memory>

#include "core/config.h"
#include "objstore/object_store.h"
#include "platform/db.h"
#include "services/app/device_api.h"
#include "core/job_queue.h"

namespace cp::app {

struct AppSettings {
  int64_t max_apk_bytes = 500LL << 20;  // same default as http.upload_body_limit
  int install_concurrency = 8;          // install/uninstall items running at once (all batches)
  int batch_max = 100;                  // devices in one install request
  std::chrono::seconds download_url_ttl{900};
  std::chrono::milliseconds device_wait{120'000};  // template installs wait this long for boot
  std::chrono::milliseconds device_poll{500};
  std::string spool_dir;  // where APKs fetched from the store are staged (empty = TMPDIR)

  static AppSettings from_config(const Config& config);
};

struct AppContext {
  db::Database& db;
  objstore::ObjectStore& objects;
  DeviceApi& devices;
  AppSettings settings;
  JobQueue jobs{"app"};

  AppContext(db::Database& database, objstore::ObjectStore& store, DeviceApi& device_api,
             AppSettings s)
      : db(database), objects(store), devices(device_api), settings(std::move(s)) {}
};

}  // namespace cp::app
