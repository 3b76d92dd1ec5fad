// Store cases written once, run on SQLite (app_store_test.cpp) and on PostgreSQL
// (app_store_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>

#include "core/ids.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"
#include "services/app/app_service.h"
#include "services/app/store.h"

namespace cp::app {

class AppStoreCase : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    db_ = db::open_test_database(GetParam());
    db::apply_platform_migrations(*db_);
    apply_app_migrations(*db_);
  }
  App make_app(const std::string& owner, const std::string& package, const std::string& name,
               const std::string& category = "") {
    App a{new_id("app"), package, owner, name, category, "", false, 1, 1};
    store::insert_app(*db_, a);
    return a;
  }
  AppVersion make_version(const App& a, int64_t code, ReviewState state = ReviewState::draft) {
    AppVersion v;
    v.app_id = a.id;
    v.version_code = code;
    v.version_name = "v" + std::to_string(code);
    v.label = a.name;
    v.min_sdk = 21;
    v.target_sdk = 33;
    v.permissions = {"android.permission.INTERNET", "android.permission.CAMERA"};
    v.apk_key = "apps/apk/sha256/" + a.id + std::to_string(code);
    v.apk_sha256 = "ab";
    v.apk_size = 1234567890123;
    v.uploader_id = a.owner_id;
    v.review_state = state;
    v.created_at = v.updated_at = code;
    store::insert_version(*db_, v);
    return v;
  }
  std::unique_ptr<db::Database> db_;
};

TEST_P(AppStoreCase, AppsAndVersionsRoundTrip) {
  auto a = make_app("usr_a", "com.example.a", "Alpha");
  make_version(a, 1);
  make_version(a, 7);
  EXPECT_EQ(store::find_app_by_package(*db_, "com.example.a")->id, a.id);
  EXPECT_FALSE(store::find_app(*db_, "app_missing"));
  EXPECT_EQ(store::newest_version_code(*db_, a.id), 7);
  auto vs = store::versions(*db_, a.id);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].version_code, 7);
  EXPECT_EQ(vs[0].permissions,
            (std::vector<std::string>{"android.permission.INTERNET", "android.permission.CAMERA"}));
  EXPECT_EQ(vs[0].apk_size, 1234567890123);
  // One app per package, one row per versionCode.
  EXPECT_THROW(make_app("usr_b", "com.example.a", "Again"), db::DbError);
  EXPECT_THROW(make_version(a, 7), db::DbError);
  apply_app_migrations(*db_);  // idempotent
}

TEST_P(AppStoreCase, ReviewStateIsCompareAndSetAndDrivesPublished) {
  auto a = make_app("usr_a", "com.example.a", "Alpha");
  make_version(a, 1, ReviewState::pending);
  EXPECT_TRUE(
      store::set_review_state(*db_, a.id, 1, ReviewState::pending, ReviewState::published, "", 5));
  EXPECT_FALSE(store::set_review_state(*db_, a.id, 1, ReviewState::pending, ReviewState::rejected,
                                       "late", 6));
  store::refresh_published(*db_, a.id, 6);
  EXPECT_TRUE(store::find_app(*db_, a.id)->published);
  store::set_review_state(*db_, a.id, 1, ReviewState::published, ReviewState::unpublished, "", 7);
  store::refresh_published(*db_, a.id, 7);
  EXPECT_FALSE(store::find_app(*db_, a.id)->published);
  store::insert_review_log(
      *db_, {new_id("rev"), a.id, 1, "approve", "pending", "published", "usr_admin", "", 5});
  EXPECT_EQ(store::review_log(*db_, a.id).size(), 1u);
}

TEST_P(AppStoreCase, ListFiltersAndPages) {
  auto a = make_app("usr_a", "com.example.alpha", "Alpha 100%", "tools");
  auto b = make_app("usr_b", "org.sample.beta", "Beta", "games");
  make_version(b, 1, ReviewState::pending);
  store::AppFilter f;
  f.viewer_id = "usr_a";
  EXPECT_EQ(store::list_apps(*db_, f).items.size(), 1u);  // b is private to usr_b
  f.viewer_id = "";
  EXPECT_EQ(store::list_apps(*db_, f).items.size(), 2u);
  f.query = "100%";
  ASSERT_EQ(store::list_apps(*db_, f).items.size(), 1u);
  EXPECT_EQ(store::list_apps(*db_, f).items[0].id, a.id);
  f.query = "SAMPLE";
  EXPECT_EQ(store::list_apps(*db_, f).items.at(0).id, b.id);
  f.query = "";
  f.category = "games";
  EXPECT_EQ(store::list_apps(*db_, f).items.at(0).id, b.id);
  f.category = "";
  f.review_state = "pending";
  EXPECT_EQ(store::list_apps(*db_, f).items.size(), 1u);
  f.review_state = "";
  f.limit = 1;
  auto p1 = store::list_apps(*db_, f);
  auto [lo, hi] = std::minmax(a.id, b.id);  // pages are in id order
  ASSERT_EQ(p1.next_cursor, lo);
  f.after_id = p1.next_cursor;
  auto p2 = store::list_apps(*db_, f);
  EXPECT_EQ(p2.items.at(0).id, hi);
  EXPECT_TRUE(p2.next_cursor.empty());
}

TEST_P(AppStoreCase, InstallItemsFinishOnce) {
  InstallBatch b{new_id("inb"), "app_1", "com.example.a", 3, "install", "usr_a", "api", 10};
  store::insert_batch(*db_, b, {"dev_1", "dev_2"});
  EXPECT_TRUE(store::update_item(*db_, b.id, "dev_1", "installing", 50, "", 11));
  EXPECT_TRUE(store::update_item(*db_, b.id, "dev_1", "installed", 100, "", 12));
  EXPECT_FALSE(store::update_item(*db_, b.id, "dev_1", "failed", 100, "late", 13));
  EXPECT_EQ(store::fail_unfinished_items(*db_, "interrupted", 14), 1);
  auto items = store::batch_items(*db_, b.id);
  EXPECT_EQ(items[0].status, "installed");
  EXPECT_EQ(items[1].status, "failed");
  EXPECT_EQ(items[1].reason, "interrupted");
  EXPECT_EQ(store::find_batch(*db_, b.id)->version_code, 3);
  EXPECT_EQ(store::app_install_items(*db_, "app_1", "usr_a", 10).size(), 2u);
  EXPECT_TRUE(store::app_install_items(*db_, "app_1", "usr_z", 10).empty());

  store::upsert_device_install(*db_, {"dev_1", "com.example.a", "app_1", 3, "usr_a", 12});
  store::upsert_device_install(*db_, {"dev_1", "com.example.a", "app_1", 4, "usr_a", 13});
  auto on = store::device_installs(*db_, "dev_1");
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(on[0].version_code, 4);
  EXPECT_TRUE(store::remove_device_install(*db_, "dev_1", "com.example.a"));
  EXPECT_FALSE(store::remove_device_install(*db_, "dev_1", "com.example.a"));
}

}  // namespace cp::app
