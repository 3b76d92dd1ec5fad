#pragma once
// Test-only: an in-memory DeviceApi (devices with an owner, a state and installed packages;
// can be told to fail one device) and a fixture with SQLite, a filesystem object store in a
// temp dir and an AppService, used by the logic tests without HTTP.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "android/apk/apk_reader.h"
#include "android/apk/apk_test_support.h"
#include "core/ids.h"
#include "objstore/fs_object_store.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "services/app/app_service.h"

namespace cp::app::testing {

class FakeDevices final : public DeviceApi {
 public:
  struct Device {
    std::string owner;
    std::string state = "running";
    std::set<std::string> packages;
    std::string fail;  // non-empty: installs fail with this detail
  };
  void add(const std::string& id, const std::string& owner, const std::string& state = "running") {
    std::lock_guard lock(mu_);
    devices_[id] = Device{owner, state, {}, {}};
  }
  void set_state(const std::string& id, const std::string& state) {
    std::lock_guard lock(mu_);
    devices_[id].state = state;
  }
  void fail(const std::string& id, const std::string& detail) {
    std::lock_guard lock(mu_);
    devices_[id].fail = detail;
  }
  std::set<std::string> packages(const std::string& id) {
    std::lock_guard lock(mu_);
    return devices_[id].packages;
  }
  int installs() const { return installs_; }

  std::string state(const http::Identity& as, const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = devices_.find(id);
    if (it == devices_.end() || (it->second.owner != as.user_id && !as.is_admin())) return "";
    return it->second.state;
  }
  void install(const http::Identity& as, const std::string& id,
               const std::shared_ptr<const http::SpooledBody>& apk) override {
    auto info = apk::read_apk(apk->path);  // like the device service: the real APK is read
    std::lock_guard lock(mu_);
    auto it = devices_.find(id);
    if (it == devices_.end() || (it->second.owner != as.user_id && !as.is_admin())) {
      throw DeviceCallError(404, "device_not_found", "no device " + id);
    }
    if (!it->second.fail.empty()) throw DeviceCallError(502, "adb_error", it->second.fail);
    if (it->second.state != "running")
      throw DeviceCallError(409, "invalid_state", "device is " + it->second.state);
    it->second.packages.insert(info.package);
    ++installs_;
  }
  bool uninstall(const http::Identity& as, const std::string& id,
                 const std::string& package) override {
    std::lock_guard lock(mu_);
    auto it = devices_.find(id);
    if (it == devices_.end() || (it->second.owner != as.user_id && !as.is_admin())) {
      throw DeviceCallError(404, "device_not_found", "no device " + id);
    }
    return it->second.packages.erase(package) > 0;
  }

 private:
  std::mutex mu_;
  std::map<std::string, Device> devices_;
  int installs_ = 0;
};

inline http::Identity user(const std::string& id) {
  http::Identity who;
  who.user_id = id;
  who.roles = {"user"};
  who.permissions = {"app:upload",    "app:read",       "app:install",
                     "app:uninstall", "device:operate", "device:read"};
  who.auth_method = "jwt";
  return who;
}

inline http::Identity admin(const std::string& id = "usr_admin") {
  http::Identity who;
  who.user_id = id;
  who.roles = {"admin"};
  who.permissions = {"*"};
  who.auth_method = "jwt";
  return who;
}

inline std::filesystem::path apk_path(const std::string& name) {
  return apk::testing::test_apk_dir() / name;
}

class AppFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / new_id("app-test");
    std::filesystem::create_directories(dir_);
    db_ = db::open_test_database(dialect());
    db::apply_platform_migrations(*db_);
    objects_ = std::make_unique<objstore::FilesystemObjectStore>(dir_ / "objects");
    AppSettings s;
    s.device_poll = std::chrono::milliseconds(10);
    s.device_wait = std::chrono::milliseconds(2000);
    s.spool_dir = (dir_ / "spool").string();
    tune(s);
    service_ = std::make_unique<AppService>(*db_, *objects_, devices_, s);
    service_->start();
  }
  void TearDown() override {
    service_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  virtual db::Dialect dialect() const { return db::Dialect::sqlite; }
  virtual void tune(AppSettings&) {}

  AppContext& ctx() { return service_->context(); }
  std::shared_ptr<const http::SpooledBody> spool(const std::string& apk_name) {
    return http::SpooledBody::from_file(apk_path(apk_name), dir_ / "uploads");
  }
  std::shared_ptr<const http::SpooledBody> spool_bytes(std::string_view bytes) {
    return http::SpooledBody::from_bytes(bytes, dir_ / "uploads");
  }
  size_t object_count() { return objects_->list("").size(); }
  int64_t count(const std::string& table) {
    return db_->exec("SELECT COUNT(*) AS n FROM " + table).one().int64("n");
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<objstore::FilesystemObjectStore> objects_;
  FakeDevices devices_;
  std::unique_ptr<AppService> service_;
};

}  // namespace cp::app::testing
