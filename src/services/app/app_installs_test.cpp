// Install and uninstall batches through the logic functions with an in-memory device API:
// progress records, one failing device, tenant checks, template preinstalls, events.
#include <thread>

#include "services/app/app_fixture_test_support.h"
#include "services/app/catalog.h"
#include "services/app/installs.h"
#include "services/app/market.h"
#include "services/app/store.h"

namespace cp::app {
namespace {

using namespace std::chrono_literals;
using testing::admin;
using testing::user;

class Installs : public testing::AppFixture {
 protected:
  void tune(AppSettings& s) override { s.install_concurrency = 3; }
  App published_basic() {
    auto a = upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {}).app;
    review_version(ctx(), user("usr_a"), a.id, 42, ReviewAction::submit, "");
    review_version(ctx(), admin(), a.id, 42, ReviewAction::approve, "");
    return a;
  }
  BatchView wait_finished(const http::Identity& who, const std::string& batch_id) {
    for (int i = 0; i < 500; ++i) {
      auto v = get_batch(ctx(), who, batch_id);
      if (batch_json(v).at("state").as_string() == "finished") return v;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "batch " << batch_id << " did not finish";
    return get_batch(ctx(), who, batch_id);
  }
  std::vector<std::string> outbox_types() {
    std::vector<std::string> out;
    for (const auto& r : db_->exec("SELECT type FROM outbox ORDER BY seq"))
      out.push_back(r.text("type"));
    return out;
  }
};

TEST_F(Installs, BatchInstallsEverywhereAndOneBadDeviceFailsAlone) {
  auto app = published_basic();
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back("dev_" + std::to_string(i));
    devices_.add(ids.back(), "usr_b");
  }
  devices_.fail("dev_3", "adb: connection reset");
  auto b = submit_install(ctx(), user("usr_b"), app.id, {ids, std::nullopt});
  EXPECT_EQ(b.version_code, 42);
  auto view = wait_finished(user("usr_b"), b.id);
  ASSERT_EQ(view.items.size(), 6u);
  for (const auto& it : view.items) {
    if (it.device_id == "dev_3") {
      EXPECT_EQ(it.status, "failed");
      EXPECT_NE(it.reason.find("connection reset"), std::string::npos) << it.reason;
    } else {
      EXPECT_EQ(it.status, "installed") << it.device_id << " " << it.reason;
      EXPECT_EQ(it.progress, 100);
      EXPECT_EQ(devices_.packages(it.device_id).count("com.example.basic"), 1u);
    }
  }
  auto installed = installed_on_device(ctx(), user("usr_b"), "dev_0").installed;
  ASSERT_EQ(installed.size(), 1u);
  EXPECT_EQ(installed[0].app_id, app.id);
  auto dev3 = installed_on_device(ctx(), user("usr_b"), "dev_3");
  EXPECT_TRUE(dev3.installed.empty());
  ASSERT_EQ(dev3.records.size(), 1u);
  EXPECT_EQ(dev3.records[0].second.status, "failed");
  auto types = outbox_types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "app.installed"), 5);
  EXPECT_EQ(std::count(types.begin(), types.end(), "app.install.failed"), 1);

  // Uninstall from two: gone there, still on the others.
  auto u = submit_uninstall(ctx(), user("usr_b"), app.id, {{"dev_0", "dev_1"}, std::nullopt});
  auto uview = wait_finished(user("usr_b"), u.id);
  for (const auto& it : uview.items) EXPECT_EQ(it.status, "uninstalled");
  EXPECT_TRUE(devices_.packages("dev_0").empty());
  EXPECT_EQ(devices_.packages("dev_2").count("com.example.basic"), 1u);
  EXPECT_TRUE(installed_on_device(ctx(), user("usr_b"), "dev_0").installed.empty());
  types = outbox_types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "app.uninstalled"), 2);
  auto records = app_installs(ctx(), user("usr_b"), app.id);
  EXPECT_EQ(records.size(), 8u);
}

TEST_F(Installs, OtherTenantsCannotUseOrSeeBatchesAndDevices) {
  auto app = published_basic();
  devices_.add("dev_mine", "usr_b");
  devices_.add("dev_theirs", "usr_c");
  auto b = submit_install(ctx(), user("usr_b"), app.id, {{"dev_mine", "dev_theirs"}, std::nullopt});
  auto view = wait_finished(user("usr_b"), b.id);
  EXPECT_EQ(view.items[0].status, "installed");
  EXPECT_EQ(view.items[1].status, "failed");  // the device service said: no such device (for usr_b)
  EXPECT_TRUE(devices_.packages("dev_theirs").empty());
  EXPECT_THROW(get_batch(ctx(), user("usr_c"), b.id), http::ApiError);
  EXPECT_THROW(installed_on_device(ctx(), user("usr_b"), "dev_theirs"), http::ApiError);
  // A private (unpublished) app of another tenant cannot be installed: 404.
  auto priv = upload_apk(ctx(), user("usr_c"), *spool("service.apk"), {}).app;
  try {
    submit_install(ctx(), user("usr_b"), priv.id, {{"dev_mine"}, std::nullopt});
    ADD_FAILURE() << "installed someone else's private app";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.status(), http::Status::not_found);
  }
  // Unreviewed versions are not installable by others either.
  EXPECT_THROW(submit_install(ctx(), user("usr_b"), app.id, {{"dev_mine"}, 43}), http::ApiError);
}

TEST_F(Installs, WaitsForABootingDeviceOnlyForTemplates) {
  auto app = published_basic();
  devices_.add("dev_boot", "usr_b", "booting");
  // An API install on a device that is not running fails at once with the reason.
  devices_.add("dev_stopped", "usr_b", "stopped");
  auto b = submit_install(ctx(), user("usr_b"), app.id, {{"dev_stopped"}, std::nullopt});
  auto view = wait_finished(user("usr_b"), b.id);
  EXPECT_EQ(view.items[0].status, "failed");
  EXPECT_NE(view.items[0].reason.find("stopped"), std::string::npos);

  // Template preinstall (device.created with template_apps): waits for the boot, then installs;
  // an unknown reference is a failed record, and a second delivery of the event does nothing.
  auto event = events::make_event(
      "/services/device", "device.created", "dev_boot",
      {{"device_id", "dev_boot"},
       {"owner_id", "usr_b"},
       {"template_apps", boost::json::array{"com.example.basic", "com.example.nope"}}});
  on_device_created(ctx(), event);
  on_device_created(ctx(), event);
  auto batches =
      db_->exec("SELECT id FROM app_install_batches WHERE source = 'template' ORDER BY id");
  ASSERT_EQ(batches.size(), 2u);
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(devices_.packages("dev_boot").empty());
  devices_.set_state("dev_boot", "running");
  std::map<std::string, std::string> outcome;
  for (const auto& r : batches) {
    auto v = wait_finished(user("usr_b"), r.text("id"));
    outcome[v.batch.package] = v.items[0].status + " " + v.items[0].reason;
  }
  EXPECT_EQ(outcome["com.example.basic"], "installed ");
  EXPECT_NE(outcome["com.example.nope"].find("failed"), std::string::npos);
  EXPECT_EQ(devices_.packages("dev_boot").count("com.example.basic"), 1u);
}

TEST_F(Installs, ARestartFailsUnfinishedItems) {
  auto app = published_basic();
  InstallBatch b{"inb_x", app.id, app.package, 42, "install", "usr_b", "api", 1};
  store::insert_batch(*db_, b, {"dev_1", "dev_2"});
  store::update_item(*db_, b.id, "dev_2", "installed", 100, "", 2);
  service_->stop();
  service_->start();
  auto items = store::batch_items(*db_, b.id);
  EXPECT_EQ(items[0].status, "failed");
  EXPECT_NE(items[0].reason.find("interrupted"), std::string::npos);
  EXPECT_EQ(items[1].status, "installed");  // finished items never move
}

}  // namespace
}  // namespace cp::app
