// Store cases written once, run on SQLite (device_store_test.cpp) and on PostgreSQL
// (device_store_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>

#include "core/ids.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "services/device/device_service.h"
#include "services/device/store.h"
#include "services/device/store_batches.h"
#include "services/device/store_templates.h"

namespace cp::device {

class DeviceStoreCase : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(GetParam());
    db::apply_platform_migrations(*db_);
    apply_device_migrations(*db_);
  }
  Device make(const std::string& owner, DeviceState state = DeviceState::creating,
              std::optional<std::string> key = std::nullopt) {
    Device d;
    d.id = new_id("dev");
    d.owner_id = owner;
    d.name = "phone " + d.id;
    d.state = state;
    d.runtime = "process";
    d.idempotency_key = std::move(key);
    d.created_at = d.updated_at = 1'700'000'000'000;
    store::insert_device(*db_, d);
    return d;
  }
  std::unique_ptr<db::Database> db_;
};

TEST_P(DeviceStoreCase, InsertFindRoundTrip) {
  auto d = make("usr_a");
  auto found = store::find_device(*db_, d.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->owner_id, "usr_a");
  EXPECT_EQ(found->state, DeviceState::creating);
  EXPECT_EQ(found->spec.width, 720);
  EXPECT_EQ(found->spec.android_version, "13");
  EXPECT_FALSE(found->idempotency_key);
  EXPECT_FALSE(found->started_at);
  EXPECT_FALSE(store::find_device(*db_, "dev_missing"));
  apply_device_migrations(*db_);  // idempotent
}

TEST_P(DeviceStoreCase, TransitionIsCompareAndSet) {
  auto d = make("usr_a");
  EXPECT_TRUE(
      store::transition(*db_, d.id, DeviceState::creating, DeviceState::booting, "boot", 2));
  EXPECT_FALSE(store::transition(*db_, d.id, DeviceState::creating, DeviceState::error, "late", 3));
  auto found = store::find_device(*db_, d.id);
  EXPECT_EQ(found->state, DeviceState::booting);
  EXPECT_EQ(found->state_reason, "boot");
  EXPECT_TRUE(store::transition(*db_, d.id, DeviceState::booting, DeviceState::deleted, "gone", 4));
  EXPECT_FALSE(store::find_device(*db_, d.id));  // deleted devices are not found
  EXPECT_EQ(store::find_device_including_deleted(*db_, d.id)->state, DeviceState::deleted);
}

TEST_P(DeviceStoreCase, IdempotencyKeyIsUniquePerOwner) {
  auto d = make("usr_a", DeviceState::creating, std::string("key-1"));
  EXPECT_EQ(store::find_by_idempotency_key(*db_, "usr_a", "key-1")->id, d.id);
  EXPECT_FALSE(store::find_by_idempotency_key(*db_, "usr_b", "key-1"));
  make("usr_b", DeviceState::creating, std::string("key-1"));  // another owner may reuse it
  make("usr_a");
  make("usr_a");  // no key: never deduplicated
  try {
    make("usr_a", DeviceState::creating, std::string("key-1"));
    FAIL() << "duplicate key accepted";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.unique_violation()) << e.what();
  }
}

TEST_P(DeviceStoreCase, ListFiltersByOwnerAndStateAndPages) {
  std::vector<std::string> mine;
  for (int i = 0; i < 5; ++i)
    mine.push_back(make("usr_a", i < 2 ? DeviceState::running : DeviceState::stopped).id);
  std::sort(mine.begin(), mine.end());  // ids of one millisecond are unordered
  make("usr_b", DeviceState::running);
  make("usr_a", DeviceState::deleted);
  auto p1 = store::list_devices(*db_, {"usr_a", std::nullopt, 3, ""});
  ASSERT_EQ(p1.items.size(), 3u);
  EXPECT_EQ(p1.items[0].id, mine[0]);
  EXPECT_EQ(p1.next_cursor, mine[2]);
  auto p2 = store::list_devices(*db_, {"usr_a", std::nullopt, 3, p1.next_cursor});
  ASSERT_EQ(p2.items.size(), 2u);
  EXPECT_TRUE(p2.next_cursor.empty());
  EXPECT_EQ(store::list_devices(*db_, {"usr_a", DeviceState::running, 50, ""}).items.size(), 2u);
  EXPECT_EQ(store::list_devices(*db_, {"", DeviceState::running, 50, ""}).items.size(), 3u);
  EXPECT_EQ(store::list_devices(*db_, {"", std::nullopt, 50, ""}).items.size(),
            6u);  // not the deleted one
  EXPECT_EQ(store::list_devices(*db_, {"", std::nullopt, 50, "", "process"}).items.size(), 6u);
  EXPECT_EQ(store::list_devices(*db_, {"", std::nullopt, 50, "", "docker"}).items.size(), 0u);
  EXPECT_EQ(store::devices_in_states(*db_, {DeviceState::stopped, DeviceState::running}).size(),
            6u);
}

TEST_P(DeviceStoreCase, UsageCountsLiveDevicesOnly) {
  make("usr_a", DeviceState::running);
  make("usr_a", DeviceState::error);
  make("usr_a", DeviceState::deleted);
  make("usr_b");
  auto u = store::owner_usage(*db_, "usr_a");
  EXPECT_EQ(u.devices, 2);
  EXPECT_EQ(u.cpu_cores, 4);
  EXPECT_EQ(u.memory_mb, 4096);
  EXPECT_EQ(store::owner_usage(*db_, "usr_nobody").devices, 0);
}

TEST_P(DeviceStoreCase, RuntimeInstanceEndpointAndStartTime) {
  auto d = make("usr_a");
  store::set_runtime_instance(*db_, d.id, "rt-1", 5);
  store::set_adb_endpoint(*db_, d.id, "127.0.0.1", 40001, 6);
  store::mark_started(*db_, d.id, 7);
  auto found = store::find_device(*db_, d.id);
  EXPECT_EQ(found->runtime_id, "rt-1");
  EXPECT_EQ(found->adb_host, "127.0.0.1");
  EXPECT_EQ(found->adb_port, 40001);
  EXPECT_EQ(found->started_at, 7);
}

TEST_P(DeviceStoreCase, BatchItemsFinishOnceAndInterruptedOnesFail) {
  Batch b{new_id("bat"), "usr_a", "exec", "id", 10, 10};
  store::insert_batch(*db_, b, {"dev_1", "dev_2", "dev_3"});
  EXPECT_EQ(store::find_batch(*db_, b.id)->command, "id");
  EXPECT_FALSE(store::find_batch(*db_, "bat_missing"));
  BatchItem ok;
  ok.position = 0;
  ok.status = "ok";
  ok.output = std::string("uid=0\n");
  ok.exit_code = 0;
  EXPECT_TRUE(store::finish_batch_item(*db_, b.id, ok, 11));
  EXPECT_FALSE(store::finish_batch_item(*db_, b.id, ok, 12));  // only once
  EXPECT_EQ(store::fail_pending_batch_items(*db_, "restart", 13), 2);
  auto items = store::batch_items(*db_, b.id);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].device_id, "dev_1");
  EXPECT_EQ(items[0].output, "uid=0\n");
  EXPECT_EQ(items[0].exit_code, 0);
  EXPECT_FALSE(items[0].stderr_text);
  EXPECT_EQ(items[2].status, "error");
  EXPECT_EQ(items[2].error, "interrupted");
  EXPECT_EQ(store::find_batch(*db_, b.id)->updated_at, 11);
}

TEST_P(DeviceStoreCase, TemplatesRoundTripListUpdateDelete) {
  DeviceTemplate t{new_id("tpl"), "usr_a", "lab", {}, {"setprop a 1", "echo 'x'"}, {"com.x"}, 1, 1};
  t.spec.width = 1080;
  store::insert_template(*db_, t);
  store::insert_template(*db_, DeviceTemplate{new_id("tpl"), "usr_b", "other", {}, {}, {}, 1, 1});
  auto found = store::find_template(*db_, t.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->spec.width, 1080);
  EXPECT_EQ(found->init_commands, t.init_commands);
  EXPECT_EQ(found->apps, t.apps);
  EXPECT_EQ(store::list_templates(*db_, "usr_a", 50, "").items.size(), 1u);
  EXPECT_EQ(store::list_templates(*db_, "", 1, "").next_cursor.empty(), false);
  t.name = "renamed";
  t.init_commands.clear();
  store::update_template(*db_, t);
  EXPECT_EQ(store::find_template(*db_, t.id)->name, "renamed");
  EXPECT_TRUE(store::find_template(*db_, t.id)->init_commands.empty());
  EXPECT_TRUE(store::delete_template(*db_, t.id));
  EXPECT_FALSE(store::find_template(*db_, t.id));
}

TEST_P(DeviceStoreCase, InitCommandsRunOnceAndFailuresShowOnRunningDevices) {
  auto d = make("usr_a", DeviceState::running);
  store::insert_init_commands(*db_, d.id, "tpl_1", {"setprop persist.cp.init 1"}, 1);
  EXPECT_EQ(store::pending_init_commands(*db_, d.id)->size(), 1u);
  EXPECT_TRUE(store::finish_init_commands(*db_, d.id, "failed", "exit 1", 2));
  EXPECT_FALSE(store::finish_init_commands(*db_, d.id, "done", "", 3));
  EXPECT_FALSE(store::pending_init_commands(*db_, d.id));
  store::set_running_reason(*db_, d.id, "init command 1 exited with 1", 4);
  EXPECT_EQ(store::find_device(*db_, d.id)->state_reason, "init command 1 exited with 1");
  auto stopped = make("usr_a", DeviceState::stopped);
  store::set_running_reason(*db_, stopped.id, "nope", 5);
  EXPECT_EQ(store::find_device(*db_, stopped.id)->state_reason, "");
}

}  // namespace cp::device
