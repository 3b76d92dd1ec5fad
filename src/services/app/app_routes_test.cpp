// The routes called through the Router with an Identity (no sockets): content types, spooled
// bodies, permissions, status codes and problem fields.
#include <fstream>

#include "core/openapi.h"
#include "core/route_call_test_support.h"
#include "core/router.h"
#include "services/app/app_fixture_test_support.h"

namespace cp::app {
namespace {

namespace json = boost::json;
using http::Method;
using http::Status;
using testing::admin;
using testing::user;

class AppRoutes : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    service_->register_routes(router_);
  }
  struct Reply {
    Status status;
    json::object body;
    http::Response raw;
  };
  Reply call(const http::Identity& who, Method method, const std::string& target,
             std::string body = "", const std::string& type = "application/json",
             std::shared_ptr<const http::SpooledBody> upload = nullptr) {
    http::Request req{method, target, 11};
    if (!body.empty() || !type.empty()) req.set(http::bhttp::field::content_type, type);
    req.body() = std::move(body);
    req.prepare_payload();
    auto r = http::testing::call_route(router_, req, who, std::move(upload));
    return {r.status, std::move(r.body), std::move(r.raw)};
  }
  std::string file(const std::string& name) {
    std::ifstream in(testing::apk_path(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  http::Router router_;
};

// The strict response check (CP_CHECK_RESPONSES=1) covers the routes a test calls; this covers
// every route: JSON success bodies are documented, and one component name means one shape.
TEST_F(AppRoutes, EveryJsonRouteDocumentsItsResponseWithUniqueNames) {
  EXPECT_EQ(http::documentation_problems({&router_}), std::vector<std::string>{});
  const auto doc = http::openapi_document("t", "0", {&router_});
  const auto& published = doc.at("components").at("schemas").as_object();
  for (const char* name : {"App", "AppVersion", "AppDetail", "InstallBatch", "InstallRecord"})
    EXPECT_TRUE(published.contains(name)) << name;
}

TEST_F(AppRoutes, UploadTakesTheSpooledBodyOrTheInMemoryOne) {
  auto spooled = spool("basic.apk");
  auto r = call(user("usr_a"), Method::post, "/api/v1/apps?category=tools", "",
                "application/vnd.android.package-archive", spooled);
  ASSERT_EQ(r.status, Status::created) << r.raw.body();
  EXPECT_EQ(r.body.at("package").as_string(), "com.example.basic");
  EXPECT_EQ(r.body.at("category").as_string(), "tools");
  EXPECT_TRUE(r.body.at("new_app").as_bool());
  // In-process callers without a spool: the body itself (octet-stream is accepted too).
  auto r2 = call(user("usr_a"), Method::post, "/api/v1/apps", file("service.apk"),
                 "application/octet-stream");
  EXPECT_EQ(r2.status, Status::created) << r2.raw.body();
}

TEST_F(AppRoutes, WrongTypeEmptyBodyAndBadQueriesAreClear4xx) {
  auto r = call(user("usr_a"), Method::post, "/api/v1/apps", file("basic.apk"), "text/plain");
  EXPECT_EQ(r.status, Status::unsupported_media_type);
  EXPECT_EQ(r.body.at("field").as_string(), "Content-Type");
  r = call(user("usr_a"), Method::post, "/api/v1/apps", "",
           "application/vnd.android.package-archive");
  EXPECT_EQ(r.status, Status::bad_request);
  EXPECT_EQ(r.body.at("code").as_string(), "invalid_apk");
  r = call(user("usr_a"), Method::get, "/api/v1/apps?limit=1000");
  EXPECT_EQ(r.status, Status::bad_request);
  EXPECT_EQ(r.body.at("field").as_string(), "limit");
  r = call(user("usr_a"), Method::get, "/api/v1/apps?review_state=approved");
  EXPECT_EQ(r.body.at("field").as_string(), "review_state");
  r = call(user("usr_a"), Method::get, "/api/v1/apps/app_x/versions/-1/download");
  EXPECT_EQ(r.body.at("field").as_string(), "version");
  EXPECT_EQ(object_count(), 0u);
}

TEST_F(AppRoutes, PermissionsAndReviewRoutes) {
  auto up = call(user("usr_a"), Method::post, "/api/v1/apps", file("basic.apk"),
                 "application/octet-stream");
  std::string id(up.body.at("id").as_string());
  auto base = "/api/v1/apps/" + id + "/versions/42/";
  http::Identity reader = user("usr_r");
  reader.permissions = {"app:read"};
  EXPECT_EQ(
      call(reader, Method::post, "/api/v1/apps", file("basic2.apk"), "application/octet-stream")
          .status,
      Status::forbidden);
  EXPECT_EQ(call(user("usr_a"), Method::post, base + "submit", "", "").status, Status::ok);
  EXPECT_EQ(call(user("usr_a"), Method::post, base + "approve", "", "").status, Status::forbidden);
  auto rej = call(admin(), Method::post, base + "reject", R"({"reason":"icon is blurry"})");
  ASSERT_EQ(rej.status, Status::ok) << rej.raw.body();
  EXPECT_EQ(rej.body.at("review_state").as_string(), "rejected");
  EXPECT_EQ(rej.body.at("review_reason").as_string(), "icon is blurry");
  EXPECT_EQ(call(admin(), Method::post, base + "approve", "", "").status, Status::conflict);
  auto trail = call(user("usr_a"), Method::get, "/api/v1/apps/" + id + "/reviews");
  EXPECT_EQ(trail.body.at("items").as_array().size(), 2u);
  // Download on the filesystem store streams the bytes back.
  auto dl = call(user("usr_a"), Method::get, base + "download");
  EXPECT_EQ(dl.status, Status::ok);
  EXPECT_TRUE(dl.raw.body() == file("basic.apk"));
  EXPECT_EQ(dl.raw["X-Content-SHA256"], spool("basic.apk")->sha256);
  // The route literal beats the {id} parameter.
  EXPECT_EQ(call(user("usr_a"), Method::get, "/api/v1/apps/installs/inb_missing").status,
            Status::not_found);
}

}  // namespace
}  // namespace cp::app
