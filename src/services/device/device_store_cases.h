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
  EXPECT_TRUE(store::transition(*db_, d.id, DeviceState::creating, DeviceState::booting, "boot", 2));
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
  for (int i = 0; i < 5; ++i) mine.push_back(make("usr_a", i < 2 ? DeviceState::running : DeviceState::stopped).id);
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
  EXPECT_EQ(store::list_devices(*db_, {"", std::nullopt, 50, ""}).items.size(), 6u);  // not the deleted one
  EXPECT_EQ(store::devices_in_states(*db_, {DeviceState::stopped, DeviceState::running}).size(), 6u);
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

}  // namespace cp::device
