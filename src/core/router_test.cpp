// Route matching: path parameters, literal segments beating parameters, 404 versus 405, and the
// access checks and body validation that dispatch() performs before a handler runs.
#include "core/router.h"

#include <gtest/gtest.h>

namespace cp::http {
namespace {

RouteSpec route(Method method, std::string pattern, std::string tag = {}) {
  RouteSpec spec;
  spec.method = method;
  spec.pattern = std::move(pattern);
  spec.access = Access::public_route;
  spec.tag = tag;
  spec.handler = [tag](RequestContext&) { return text_response(Status::ok, tag, "text/plain"); };
  return spec;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add(route(Method::get, "/api/v1/users/{id}", "user-by-id"));
    router_.add(route(Method::get, "/api/v1/users/me", "me"));
    router_.add(route(Method::post, "/api/v1/users", "create"));
    router_.add(route(Method::get, "/api/v1/users", "list"));
    router_.add(route(Method::delete_, "/api/v1/devices/{id}/apps/{pkg}", "uninstall"));
  }
  Router router_;
};

TEST_F(RouterTest, ExtractsPathParameters) {
  auto m = router_.match(Method::delete_, "/api/v1/devices/dev_1/apps/com.example");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->tag, "uninstall");
  EXPECT_EQ(m.params.at("id"), "dev_1");
  EXPECT_EQ(m.params.at("pkg"), "com.example");
}

TEST_F(RouterTest, PercentDecodesParameters) {
  auto m = router_.match(Method::get, "/api/v1/users/a%20b");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at("id"), "a b");
}

TEST_F(RouterTest, LiteralBeatsParameterWhicheverWasAddedFirst) {
  auto m = router_.match(Method::get, "/api/v1/users/me");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->tag, "me");
  EXPECT_TRUE(m.params.empty());
  m = router_.match(Method::get, "/api/v1/users/usr_42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->tag, "user-by-id");
}

TEST_F(RouterTest, ParameterRouteStillServesMethodsTheLiteralLacks) {
  Router r;
  r.add(route(Method::post, "/things/special", "special-post"));
  r.add(route(Method::get, "/things/{id}", "get-thing"));
  auto m = r.match(Method::get, "/things/special");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->tag, "get-thing");
}

TEST_F(RouterTest, MethodSelectsAmongRoutesOnOnePath) {
  EXPECT_EQ(router_.match(Method::get, "/api/v1/users").route->tag, "list");
  EXPECT_EQ(router_.match(Method::post, "/api/v1/users").route->tag, "create");
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  auto missing = router_.match(Method::get, "/api/v1/nothing");
  EXPECT_EQ(missing.route, nullptr);
  EXPECT_FALSE(missing.path_matched);
  auto wrong = router_.match(Method::put, "/api/v1/users");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_matched);
}

TEST_F(RouterTest, SegmentCountMustMatch) {
  EXPECT_EQ(router_.match(Method::get, "/api/v1/users/a/b").route, nullptr);
  EXPECT_EQ(router_.match(Method::get, "/api/v1").route, nullptr);
  EXPECT_EQ(router_.match(Method::get, "/").route, nullptr);
}

TEST(SplitPath, SkipsEmptySegmentsAndDecodes) {
  EXPECT_EQ(split_path("/a//b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_path("/x%2Fy"), (std::vector<std::string>{"x/y"}));
  EXPECT_TRUE(split_path("/").empty());
  // An invalid escape stays literal instead of throwing.
  EXPECT_EQ(split_path("/%zz"), (std::vector<std::string>{"%zz"}));
}

class DispatchTest : public ::testing::Test {
 protected:
  Response dispatch(RouteSpec spec, std::optional<Identity> who, std::string body = {}) {
    router_.add(std::move(spec));
    request_ = Request{Method::post, "/x", 11};
    request_.set(bhttp::field::content_type, "application/json");
    request_.body() = std::move(body);
    RequestContext ctx{request_, "rid", {}, {}, {}, {}, std::move(who)};
    return router_.dispatch(*router_.routes().back(), ctx);
  }
  static RouteSpec spec(Access access, std::string permission = {}) {
    RouteSpec s = route(Method::post, "/x", "ok");
    s.access = access;
    s.permission = std::move(permission);
    return s;
  }
  Router router_;
  Request request_;
};

TEST_F(DispatchTest, AuthenticatedRouteRejectsAnonymousWith401) {
  try {
    dispatch(spec(Access::authenticated), std::nullopt);
    FAIL() << "expected 401";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), Status::unauthorized);
  }
}

TEST_F(DispatchTest, PermissionRouteRejectsMissingPermissionWith403) {
  Identity who{"usr_1", {"user"}, {"device:read"}, "jwt", "", {}};
  try {
    dispatch(spec(Access::permission, "device:create"), who);
    FAIL() << "expected 403";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), Status::forbidden);
    EXPECT_EQ(e.code(), "permission_denied");
  }
  who.permissions = {"device:*"};
  EXPECT_EQ(dispatch(spec(Access::permission, "device:create"), who).body(), "ok");
}

TEST_F(DispatchTest, RequestSchemaIsValidatedBeforeTheHandler) {
  auto s = spec(Access::public_route);
  s.request = Schema::object({{"name", Schema::string(1, 10)}}, {"name"});
  bool ran = false;
  s.handler = [&ran](RequestContext&) {
    ran = true;
    return no_content();
  };
  try {
    dispatch(s, std::nullopt, R"({"name": ""})");
    FAIL() << "expected 400";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "name");
  }
  EXPECT_FALSE(ran);
  EXPECT_EQ(dispatch(s, std::nullopt, R"({"name": "ok"})").result(), Status::no_content);
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace cp::http
