// The OpenAPI document is generated from the route table: paths, parameters, bodies, security.
#include "core/openapi.h"

#include <gtest/gtest.h>

namespace cp::http {
namespace {

TEST(OpenApiTest, DocumentsRoutesFromTheTable) {
  Router router;
  RouteSpec create;
  create.method = Method::post;
  create.pattern = "/api/v1/devices/{id}/apps";
  create.access = Access::permission;
  create.permission = "app:install";
  create.summary = "Install an app";
  create.tag = "apps";
  create.request = Schema::object({{"package", Schema::string(1, 200)}}, {"package"});
  create.success = Status::created;
  create.handler = [](RequestContext&) { return no_content(); };
  router.add(create);
  RouteSpec health;
  health.pattern = "/health";
  health.access = Access::public_route;
  health.handler = create.handler;
  router.add(health);

  auto doc = openapi_document("cloudphone", "1.0", {&router});
  EXPECT_EQ(doc.at("openapi"), "3.0.3");
  const auto& op = doc.at("paths").at("/api/v1/devices/{id}/apps").at("post").as_object();
  EXPECT_EQ(op.at("summary"), "Install an app");
  EXPECT_EQ(op.at("x-permission"), "app:install");
  EXPECT_EQ(op.at("parameters").at(0).at("name"), "id");
  EXPECT_EQ(op.at("parameters").at(0).at("in"), "path");
  EXPECT_EQ(op.at("requestBody").at("content").at("application/json").at("schema").at("required"),
            (boost::json::array{"package"}));
  const auto& responses = op.at("responses").as_object();
  EXPECT_TRUE(responses.contains("201"));
  EXPECT_TRUE(responses.contains("400"));
  EXPECT_TRUE(responses.contains("401"));
  EXPECT_TRUE(responses.contains("403"));
  EXPECT_TRUE(op.contains("security"));
  const auto& h = doc.at("paths").at("/health").at("get").as_object();
  EXPECT_FALSE(h.contains("security"));
  EXPECT_FALSE(h.at("responses").as_object().contains("401"));
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Problem"));
}

TEST(OpenApiTest, SwaggerPageReferencesAssetsAndSpec) {
  auto html = swagger_ui_html("/docs/assets", "/openapi.json");
  EXPECT_NE(html.find("/docs/assets/swagger-ui-bundle.js"), std::string::npos);
  EXPECT_NE(html.find("url: \"/openapi.json\""), std::string::npos);
}

TEST(OpenApiTest, DocumentationProblemsNameUndescribedBodiesAndReusedNames) {
  auto ok = [](RequestContext&) { return no_content(); };
  Router router;
  router.add({Method::get, "/a", Access::public_route, "", "", "", std::nullopt,
              Schema::record({{"id", Schema::string()}}).named("Thing"), Status::ok, ok});
  EXPECT_TRUE(documentation_problems({&router}).empty());
  router.add({Method::get, "/b", Access::public_route, "", "", "", std::nullopt, std::nullopt,
              Status::ok, ok});
  router.add({Method::get, "/c", Access::public_route, "", "", "", std::nullopt,
              Schema::record({{"n", Schema::integer()}}).named("Thing"), Status::ok, ok});
  router.add({Method::delete_, "/d", Access::public_route, "", "", "", std::nullopt, Schema::any(),
              Status::no_content, ok});
  router.add({Method::get, "/e", Access::public_route, "", "", "", std::nullopt, std::nullopt,
              Status::ok, ok, "image/png"});
  EXPECT_EQ(
      documentation_problems({&router}),
      (std::vector<std::string>{"GET /b: no response schema", "Thing names two shapes (GET /c)",
                                "DELETE /d: schema for a non-JSON body"}));
}

}  // namespace
}  // namespace cp::http
