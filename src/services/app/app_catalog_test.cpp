// Upload, versions, visibility and review through the logic functions (no HTTP), on SQLite and
// a filesystem object store, with the aapt-built test APKs.
#include <fstream>

#include "services/app/app_fixture_test_support.h"
#include "services/app/catalog.h"
#include "services/app/market.h"
#include "services/app/store.h"

namespace cp::app {
namespace {

using testing::admin;
using testing::user;

class Catalog : public testing::AppFixture {
 protected:
  std::string file_bytes(const std::string& name) {
    std::ifstream in(testing::apk_path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // 4xx with `code`, and nothing was stored: no object, no app, no version, no event.
  void expect_rejected(const std::function<void()>& upload, http::Status status,
                       const std::string& code) {
    auto objects = object_count();
    auto apps = count("apps");
    auto versions = count("app_versions");
    auto events = count("outbox");
    try {
      upload();
      ADD_FAILURE() << "accepted";
    } catch (const http::ApiError& e) {
      EXPECT_EQ(e.status(), status) << e.what();
      EXPECT_EQ(e.code(), code) << e.what();
    }
    EXPECT_EQ(object_count(), objects);
    EXPECT_EQ(count("apps"), apps);
    EXPECT_EQ(count("app_versions"), versions);
    EXPECT_EQ(count("outbox"), events);
  }
};

TEST_F(Catalog, UploadRecordsWhatTheApkSays) {
  auto body = spool("basic.apk");
  auto r = upload_apk(ctx(), user("usr_a"), *body, {"tools", "a test app"});
  auto info = apk::read_apk(testing::apk_path("basic.apk"));
  EXPECT_TRUE(r.new_app);
  EXPECT_EQ(r.app.package, "com.example.basic");
  EXPECT_EQ(r.app.owner_id, "usr_a");
  EXPECT_EQ(r.app.category, "tools");
  EXPECT_EQ(r.version.version_code, 42);
  EXPECT_EQ(r.version.version_name, "1.2.3");
  EXPECT_EQ(r.version.min_sdk, 21);
  EXPECT_EQ(r.version.target_sdk, 29);
  EXPECT_EQ(r.version.label, "Basic App");
  EXPECT_EQ(r.version.permissions, info.permissions);
  EXPECT_EQ(r.version.review_state, ReviewState::draft);
  EXPECT_EQ(r.version.apk_sha256, body->sha256);
  // The APK and the icon are in the store under their content hashes.
  EXPECT_EQ(r.version.apk_key, "apps/apk/sha256/" + body->sha256);
  EXPECT_EQ(objects_->get_bytes(r.version.apk_key), file_bytes("basic.apk"));
  auto icon = get_icon(ctx(), user("usr_a"), r.app.id);
  EXPECT_EQ(std::vector<uint8_t>(icon.begin(), icon.end()), info.icon_png);
  EXPECT_EQ(object_count(), 2u);
  EXPECT_EQ(count("outbox"), 1);  // app.uploaded
  auto event = db_->exec("SELECT type FROM outbox").one().text("type");
  EXPECT_EQ(event, "app.uploaded");
}

TEST_F(Catalog, HigherVersionCodeIsANewVersionEqualOrLowerIs409) {
  auto v42 = upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {});
  auto v43 = upload_apk(ctx(), user("usr_a"), *spool("basic2.apk"), {});
  EXPECT_FALSE(v43.new_app);
  EXPECT_EQ(v43.app.id, v42.app.id);
  EXPECT_EQ(v43.version.version_code, 43);
  EXPECT_EQ(v43.version.version_name, "1.3.0");
  EXPECT_EQ(get_app(ctx(), user("usr_a"), v42.app.id).versions.size(), 2u);
  // Same code again and a lower code: 409, nothing new stored.
  expect_rejected([&] { upload_apk(ctx(), user("usr_a"), *spool("basic2.apk"), {}); },
                  http::Status::conflict, "version_not_newer");
  expect_rejected([&] { upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {}); },
                  http::Status::conflict, "version_not_newer");
  // Another tenant cannot add versions to someone else's package.
  expect_rejected([&] { upload_apk(ctx(), user("usr_b"), *spool("basic2.apk"), {}); },
                  http::Status::conflict, "package_taken");
}

TEST_F(Catalog, SameContentIsStoredOnce) {
  auto v42 = upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {});
  auto v43 = upload_apk(ctx(), user("usr_a"), *spool("basic2.apk"), {});
  // Two APKs, one icon: both versions carry the same icon bytes, stored under one key.
  EXPECT_EQ(v42.version.icon_key, v43.version.icon_key);
  EXPECT_NE(v42.version.apk_key, v43.version.apk_key);
  EXPECT_EQ(object_count(), 3u);
  EXPECT_EQ(store::versions_with_apk(*db_, v42.version.apk_key), 1);
}

TEST_F(Catalog, BadInputIsA4xxAndStoresNothing) {
  upload_apk(ctx(), user("usr_a"), *spool("service.apk"), {});  // something already there
  expect_rejected([&] { upload_apk(ctx(), user("usr_a"), *spool_bytes("this is not a zip"), {}); },
                  http::Status::bad_request, "invalid_apk");
  auto whole = file_bytes("basic.apk");
  expect_rejected(
      [&] {
        upload_apk(ctx(), user("usr_a"), *spool_bytes(whole.substr(0, whole.size() / 2)), {});
      },
      http::Status::bad_request, "invalid_apk");
  auto zip = apk::testing::make_zip({{"hello.txt", {'h', 'i'}}});
  expect_rejected(
      [&] {
        upload_apk(ctx(), user("usr_a"),
                   *spool_bytes({reinterpret_cast<char*>(zip.data()), zip.size()}), {});
      },
      http::Status::bad_request, "invalid_apk");
  expect_rejected(
      [&] {
        upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {"Not A Category", ""});
      },
      http::Status::bad_request, "invalid_field");
  ctx().settings.max_apk_bytes = 1000;
  expect_rejected([&] { upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {}); },
                  http::Status::payload_too_large, "payload_too_large");
}

TEST_F(Catalog, UsersSeePublishedAppsAndTheirOwnPrivateUploads) {
  auto a = upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {"tools", ""}).app;
  auto b = upload_apk(ctx(), user("usr_b"), *spool("service.apk"), {"games", ""}).app;
  auto ids = [](const Page<App>& p) {
    std::vector<std::string> out;
    for (const auto& x : p.items) out.push_back(x.id);
    return out;
  };
  EXPECT_EQ(ids(list_apps(ctx(), user("usr_a"), {})), std::vector<std::string>{a.id});
  EXPECT_EQ(ids(list_apps(ctx(), user("usr_b"), {})), std::vector<std::string>{b.id});
  EXPECT_EQ(ids(list_apps(ctx(), admin(), {})).size(), 2u);
  try {
    get_app(ctx(), user("usr_b"), a.id);
    ADD_FAILURE() << "another tenant's private app is visible";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.status(), http::Status::not_found);
  }
  EXPECT_THROW(download_version(ctx(), user("usr_b"), a.id, 42), http::ApiError);
  EXPECT_THROW(get_icon(ctx(), user("usr_b"), a.id), http::ApiError);

  // Published: visible to everyone, found by name, package and category.
  review_version(ctx(), user("usr_a"), a.id, 42, ReviewAction::submit, "");
  review_version(ctx(), admin(), a.id, 42, ReviewAction::approve, "");
  EXPECT_EQ(ids(list_apps(ctx(), user("usr_b"), {})).size(), 2u);
  AppQuery q;
  q.query = "BASIC";
  EXPECT_EQ(ids(list_apps(ctx(), user("usr_b"), q)), std::vector<std::string>{a.id});
  q.query = "example.serv";
  EXPECT_EQ(ids(list_apps(ctx(), user("usr_b"), q)), std::vector<std::string>{b.id});
  q.query = "%";  // a literal percent sign, not a wildcard
  EXPECT_TRUE(list_apps(ctx(), user("usr_b"), q).items.empty());
  AppQuery games;
  games.category = "games";
  EXPECT_EQ(ids(list_apps(ctx(), admin(), games)), std::vector<std::string>{b.id});
  // Pagination: one per page.
  AppQuery page;
  page.limit = 1;
  auto first = list_apps(ctx(), admin(), page);
  ASSERT_EQ(first.items.size(), 1u);
  ASSERT_FALSE(first.next_cursor.empty());
  page.cursor = first.next_cursor;
  auto second = list_apps(ctx(), admin(), page);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_NE(second.items[0].id, first.items[0].id);
  EXPECT_TRUE(second.next_cursor.empty());
}

TEST_F(Catalog, ReviewFlowWithAuditTrailAndEvents) {
  auto a = upload_apk(ctx(), user("usr_a"), *spool("basic.apk"), {}).app;
  EXPECT_THROW(review_version(ctx(), admin(), a.id, 42, ReviewAction::approve, ""),
               http::ApiError);  // draft
  EXPECT_THROW(review_version(ctx(), user("usr_a"), a.id, 42, ReviewAction::approve, ""),
               http::ApiError);
  review_version(ctx(), user("usr_a"), a.id, 42, ReviewAction::submit, "");
  try {
    review_version(ctx(), admin(), a.id, 42, ReviewAction::reject, "");
    ADD_FAILURE() << "reject without a reason";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.field(), "reason");
  }
  auto rejected =
      review_version(ctx(), admin(), a.id, 42, ReviewAction::reject, "crashes on start");
  EXPECT_EQ(rejected.review_state, ReviewState::rejected);
  EXPECT_EQ(rejected.review_reason, "crashes on start");
  EXPECT_FALSE(get_app(ctx(), admin(), a.id).app.published);
  review_version(ctx(), user("usr_a"), a.id, 42, ReviewAction::submit, "");
  review_version(ctx(), admin(), a.id, 42, ReviewAction::approve, "");
  EXPECT_TRUE(get_app(ctx(), user("usr_b"), a.id).app.published);
  review_version(ctx(), admin(), a.id, 42, ReviewAction::unpublish, "");
  EXPECT_THROW(get_app(ctx(), user("usr_b"), a.id), http::ApiError);

  auto log = review_history(ctx(), user("usr_a"), a.id);
  std::vector<std::string> actions;
  for (const auto& e : log) actions.push_back(e.action + ":" + e.to_state);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"submit:pending", "reject:rejected", "submit:pending",
                                      "approve:published", "unpublish:unpublished"}));
  EXPECT_EQ(log[1].reason, "crashes on start");
  EXPECT_EQ(log[1].actor_id, "usr_admin");
  EXPECT_THROW(review_history(ctx(), user("usr_b"), a.id), http::ApiError);
  auto types = db_->exec("SELECT type FROM outbox ORDER BY seq");
  std::vector<std::string> seen;
  for (const auto& r : types) seen.push_back(r.text("type"));
  EXPECT_EQ(seen, (std::vector<std::string>{"app.uploaded", "app.review.rejected",
                                            "app.review.approved"}));
}

}  // namespace
}  // namespace cp::app
