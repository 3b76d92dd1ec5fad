// The middleware chain without sockets: request id accepted/generated/echoed, traceparent
// continued, CORS preflight allowed/denied, errors as problem+json, metrics recorded.
#include "core/pipeline.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/metrics.h"

namespace cp::http {
namespace {

namespace json = boost::json;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_shared<Router>();
    RouteSpec ok;
    ok.method = Method::get;
    ok.pattern = "/items/{id}";
    ok.access = Access::public_route;
    ok.response = Schema::record({{"id", Schema::string()}});
    ok.handler = [](RequestContext& ctx) {
      return json_response(Status::ok, {{"id", ctx.param("id")}});
    };
    router->add(ok);
    RouteSpec fails = ok;
    fails.pattern = "/boom";
    fails.handler = [](RequestContext&) -> Response { throw std::logic_error("secret detail"); };
    router->add(fails);
    RouteSpec busy = ok;
    busy.pattern = "/busy";
    busy.handler = [](RequestContext&) -> Response {
      auto e = unavailable("try later");
      e.extra()["retry_after"] = 3;
      throw e;
    };
    router->add(busy);
    RouteSpec create = ok;
    create.method = Method::post;
    create.pattern = "/items";
    create.request = Schema::object({{"name", Schema::string(1, 10)}}, {"name"});
    router->add(create);
    pipeline_.use(request_id_middleware());
    pipeline_.use(access_log_middleware("test"));
    pipeline_.use(cors_middleware({"https://console.example"}));
    pipeline_.use(error_middleware());
    pipeline_.set_handler(route_handler(router));
  }

  Response run(Method method, std::string target,
               std::vector<std::pair<std::string, std::string>> headers = {},
               std::string body = {}) {
    request_ = Request{method, target, 11};
    for (const auto& [k, v] : headers) request_.set(k, v);
    request_.body() = std::move(body);
    RequestContext ctx{request_, {}, {}, "127.0.0.1", {}, {}, {}};
    return pipeline_.handle(ctx);
  }
  static json::object problem(const Response& res) {
    EXPECT_EQ(res[bhttp::field::content_type], "application/problem+json");
    return json::parse(res.body()).as_object();
  }

  Pipeline pipeline_{"test"};
  Request request_;
};

TEST_F(PipelineTest, GeneratesRequestIdAndEchoesIt) {
  auto res = run(Method::get, "/items/7");
  EXPECT_EQ(res.result(), Status::ok);
  auto id = std::string(res["X-Request-ID"]);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_NE(id, std::string(run(Method::get, "/items/7")["X-Request-ID"]));
}

TEST_F(PipelineTest, AcceptsAWellFormedIncomingRequestIdOnly) {
  EXPECT_EQ(run(Method::get, "/items/7", {{"X-Request-ID", "abc-123_x.y"}})["X-Request-ID"],
            "abc-123_x.y");
  auto res = run(Method::get, "/items/7", {{"X-Request-ID", "bad id\" injected"}});
  EXPECT_NE(res["X-Request-ID"], "bad id\" injected");
  EXPECT_EQ(res["X-Request-ID"].size(), 32u);
}

TEST_F(PipelineTest, ContinuesAnIncomingTraceWithANewSpan) {
  const std::string incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto out = std::string(run(Method::get, "/items/1", {{"traceparent", incoming}})["traceparent"]);
  ASSERT_EQ(out.size(), 55u);
  EXPECT_EQ(out.substr(0, 36), incoming.substr(0, 36));    // same trace id
  EXPECT_NE(out.substr(36, 16), incoming.substr(36, 16));  // our own span id
  EXPECT_EQ(out.substr(52), "-01");
}

TEST_F(PipelineTest, StartsANewTraceWhenTheIncomingOneIsInvalid) {
  for (std::string bad : {"", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e473X-00f067aa0ba902b7-01",
                          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}) {
    auto out = std::string(run(Method::get, "/items/1", {{"traceparent", bad}})["traceparent"]);
    ASSERT_EQ(out.size(), 55u) << bad;
    EXPECT_EQ(out.substr(0, 3), "00-");
    EXPECT_NE(out.substr(3, 32), std::string(32, '0'));
    if (bad.size() == 55) {
      EXPECT_NE(out.substr(3, 32), bad.substr(3, 32)) << bad;
    }
  }
}

TEST_F(PipelineTest, UnknownRouteIs404ProblemWithRequestId) {
  auto res = run(Method::get, "/nothing", {{"X-Request-ID", "rid-1"}});
  EXPECT_EQ(res.result(), Status::not_found);
  auto doc = problem(res);
  EXPECT_EQ(doc.at("status"), 404);
  EXPECT_EQ(doc.at("code"), "route_not_found");
  EXPECT_EQ(doc.at("request_id"), "rid-1");
  EXPECT_EQ(doc.at("instance"), "/nothing");
}

TEST_F(PipelineTest, WrongMethodIs405) {
  auto res = run(Method::delete_, "/items/1");
  EXPECT_EQ(res.result(), Status::method_not_allowed);
  EXPECT_EQ(problem(res).at("code"), "method_not_allowed");
}

TEST_F(PipelineTest, ValidationErrorNamesTheField) {
  auto res = run(Method::post, "/items", {{"Content-Type", "application/json"}}, R"({"name":""})");
  EXPECT_EQ(res.result(), Status::bad_request);
  auto doc = problem(res);
  EXPECT_EQ(doc.at("field"), "name");
  EXPECT_EQ(doc.at("code"), "invalid_field");
  res = run(Method::post, "/items", {{"Content-Type", "application/json"}}, "{not json");
  EXPECT_EQ(problem(res).at("code"), "malformed_json");
  res = run(Method::post, "/items", {{"Content-Type", "text/plain"}}, "{}");
  EXPECT_EQ(res.result(), Status::unsupported_media_type);
}

TEST_F(PipelineTest, UnexpectedExceptionIs500WithoutInternals) {
  auto res = run(Method::get, "/boom");
  EXPECT_EQ(res.result(), Status::internal_server_error);
  EXPECT_EQ(res.body().find("secret detail"), std::string::npos);
  EXPECT_EQ(problem(res).at("code"), "internal");
  EXPECT_FALSE(res["X-Request-ID"].empty());
}

TEST_F(PipelineTest, RetryAfterBecomesAHeader) {
  auto res = run(Method::get, "/busy");
  EXPECT_EQ(res.result(), Status::service_unavailable);
  EXPECT_EQ(res[bhttp::field::retry_after], "3");
}

TEST_F(PipelineTest, CorsPreflightAllowedOrigin) {
  auto res =
      run(Method::options, "/items/1",
          {{"Origin", "https://console.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(res.result(), Status::no_content);
  EXPECT_EQ(res[bhttp::field::access_control_allow_origin], "https://console.example");
  EXPECT_NE(res[bhttp::field::access_control_allow_methods].find("POST"), std::string::npos);
  EXPECT_NE(res[bhttp::field::access_control_allow_headers].find("Authorization"),
            std::string::npos);
}

TEST_F(PipelineTest, CorsPreflightDeniedOrigin) {
  auto res = run(Method::options, "/items/1",
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(res.result(), Status::forbidden);
  EXPECT_TRUE(res[bhttp::field::access_control_allow_origin].empty());
}

TEST_F(PipelineTest, CorsHeadersOnSimpleRequestsOnlyForAllowedOrigins) {
  auto res = run(Method::get, "/items/1", {{"Origin", "https://console.example"}});
  EXPECT_EQ(res[bhttp::field::access_control_allow_origin], "https://console.example");
  EXPECT_NE(res[bhttp::field::access_control_expose_headers].find("X-Request-ID"),
            std::string::npos);
  res = run(Method::get, "/items/1", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(res.result(), Status::ok);  // the browser enforces; we just do not allow it
  EXPECT_TRUE(res[bhttp::field::access_control_allow_origin].empty());
  // Errors carry CORS headers too, so the console can read the problem document.
  res = run(Method::get, "/nothing", {{"Origin", "https://console.example"}});
  EXPECT_EQ(res.result(), Status::not_found);
  EXPECT_EQ(res[bhttp::field::access_control_allow_origin], "https://console.example");
}

TEST_F(PipelineTest, AccessLogRecordsMetricsByRoutePattern) {
  auto& counter = metrics::Registry::global().counter(
      "http_requests_total", "HTTP requests handled",
      {{"service", "test"}, {"method", "GET"}, {"route", "/items/{id}"}, {"status", "200"}});
  double before = counter.value();
  run(Method::get, "/items/1");
  run(Method::get, "/items/2");
  EXPECT_EQ(counter.value(), before + 2);
  auto text = metrics::Registry::global().render();
  EXPECT_NE(text.find("http_request_duration_seconds_bucket{service=\"test\",method=\"GET\","
                      "route=\"/items/{id}\",le=\"+Inf\"}"),
            std::string::npos);
  // Unmatched paths share one label value, so scanners cannot blow up the series count.
  run(Method::get, "/random/path/1234");
  EXPECT_NE(metrics::Registry::global().render().find("route=\"unmatched\""), std::string::npos);
}

TEST(PipelineBareTest, WithoutMiddlewareErrorsStillBecomeProblems) {
  Pipeline p("bare");
  p.set_handler([](RequestContext&) -> Response { throw not_found("gone"); });
  Request req{Method::get, "/x", 11};
  RequestContext ctx{req, "rid", {}, {}, {}, {}, {}};
  auto res = p.handle(ctx);
  EXPECT_EQ(res.result(), Status::not_found);
  EXPECT_EQ(json::parse(res.body()).at("request_id"), "rid");
}

}  // namespace
}  // namespace cp::http
