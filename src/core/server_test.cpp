// The HTTP server over real loopback sockets: keep-alive, limits (413, 431), malformed input
// (400), slow clients cut off at read_timeout, graceful stop, and random bytes never crashing it.
#include "core/server.h"

#include <gtest/gtest.h>

#include <future>
#include <random>

#include "core/spooled_body.h"
#include "core/test_sockets.h"

namespace cp::http {
namespace {

using namespace std::chrono_literals;
using test::RawClient;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_shared<Router>();
    auto add = [&](Method m, std::string pattern, Handler h) {
      RouteSpec spec;
      spec.method = m;
      spec.pattern = std::move(pattern);
      spec.access = Access::public_route;
      spec.handler = std::move(h);
      router->add(std::move(spec));
    };
    add(Method::get, "/hello",
        [](RequestContext&) { return text_response(Status::ok, "hi", "text/plain"); });
    add(Method::post, "/echo", [](RequestContext& ctx) {
      return text_response(Status::ok, ctx.request.body(), "text/plain");
    });
    add(Method::post, "/upload/file", [](RequestContext& ctx) {
      auto size = ctx.upload ? ctx.upload->size : ctx.request.body().size();
      return text_response(Status::ok, std::to_string(size), "text/plain");
    });
    add(Method::get, "/slow", [this](RequestContext&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(400ms);
      return text_response(Status::ok, "done", "text/plain");
    });
    auto pipeline = std::make_shared<Pipeline>("test");
    pipeline->use(request_id_middleware());
    pipeline->use(error_middleware());
    pipeline->set_handler(route_handler(router));
    ServerOptions options;
    options.io_threads = 2;
    options.worker_threads = 4;
    options.body_limit = 1024;
    options.upload_body_limit = 64 * 1024;
    options.upload_prefixes = {"/upload/"};
    options.read_timeout = 300ms;
    options.idle_timeout = 1000ms;
    options.shutdown_grace = 3s;
    server_ = std::make_unique<HttpServer>(options, pipeline);
    port_ = server_->start();
  }

  static int status_of(const std::string& response) {
    return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0;
  }
  void expect_server_still_serves() {
    RawClient c(port_);
    c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
    auto res = c.read_response();
    EXPECT_EQ(status_of(res), 200) << res;
  }

  std::promise<void> slow_started_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  RawClient c(port_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto res = c.read_response();
    EXPECT_EQ(status_of(res), 200) << res;
    EXPECT_NE(res.find("\r\n\r\nhi"), std::string::npos);
    EXPECT_EQ(res.find("Connection: close"), std::string::npos);
  }
  // Pipelined: two requests in one write, two answers in order.
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nonePOST /echo HTTP/1.1\r\n"
      "Host: t\r\nContent-Length: 3\r\n\r\ntwo");
  EXPECT_NE(c.read_response().find("\r\n\r\none"), std::string::npos);
  EXPECT_NE(c.read_response().find("\r\n\r\ntwo"), std::string::npos);
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  RawClient c(port_);
  c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(c.read_response()), 200);
  EXPECT_TRUE(c.wait_closed(1s));
}

TEST_F(ServerTest, OversizedBodyGets413AndTheServerKeepsServing) {
  RawClient c(port_);
  std::string body(4096, 'x');
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4096\r\n\r\n");
  c.send(body);
  auto res = c.read_response();
  EXPECT_EQ(status_of(res), 413) << res;
  EXPECT_NE(res.find("application/problem+json"), std::string::npos);
  EXPECT_NE(res.find("\"code\":\"body_too_large\""), std::string::npos);
  EXPECT_TRUE(c.wait_closed(3s));
  expect_server_still_serves();
}

TEST_F(ServerTest, OversizedChunkedBodyGets413) {
  RawClient c(port_);
  std::string chunk(2000, 'y');
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + chunk +
         "\r\n0\r\n\r\n");
  EXPECT_EQ(status_of(c.read_response()), 413);
  expect_server_still_serves();
}

TEST_F(ServerTest, ExpectContinueIsAnsweredOrRefusedBeforeTheBody) {
  RawClient big(port_);
  big.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(status_of(big.read_response(1s)), 413);
  RawClient small(port_);
  small.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(status_of(small.read_response(1s)), 100);
  small.send("ok");
  auto res = small.read_response();
  EXPECT_EQ(status_of(res), 200);
  EXPECT_NE(res.find("\r\n\r\nok"), std::string::npos);
}

TEST_F(ServerTest, UploadPrefixHasItsOwnLimit) {
  RawClient c(port_);
  std::string body(10000, 'z');
  c.send("POST /upload/file HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n" + body);
  auto res = c.read_response();
  EXPECT_EQ(status_of(res), 200) << res;
  EXPECT_NE(res.find("\r\n\r\n10000"), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestGets400ProblemAndTheServerKeepsServing) {
  for (const char* garbage : {"GET /hello HTTP/9.9\r\n\r\n", "\x01\x02\x03 / HTTP/1.1\r\n\r\n",
                              "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n",
                              "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    RawClient c(port_);
    c.send(garbage);
    auto res = c.read_response();
    EXPECT_EQ(status_of(res), 400) << garbage << " -> " << res;
    EXPECT_NE(res.find("malformed_request"), std::string::npos);
  }
  expect_server_still_serves();
}

TEST_F(ServerTest, HugeHeadersGet431) {
  RawClient c(port_);
  c.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(status_of(c.read_response()), 431);
  expect_server_still_serves();
}

TEST_F(ServerTest, SlowHeadersAreCutOffAtReadTimeout) {
  RawClient c(port_);
  auto start = std::chrono::steady_clock::now();
  c.send("GET /hello HTTP/1.1\r\nHost: t\r\n");
  bool closed = false;
  for (int i = 0; i < 30 && !closed; ++i) {
    closed = !c.send("X") || c.wait_closed(50ms);  // one header byte every 50 ms
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1000ms);
  expect_server_still_serves();
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  RawClient c(port_);
  c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(status_of(c.read_response()), 200);
  // Longer than read_timeout: waiting between requests is governed by idle_timeout.
  EXPECT_FALSE(c.wait_closed(600ms));
  EXPECT_TRUE(c.wait_closed(1500ms));
}

TEST_F(ServerTest, GracefulStopFinishesTheInFlightRequest) {
  RawClient busy(port_);
  RawClient idle(port_);
  idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(status_of(idle.read_response()), 200);
  busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  slow_started_.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  server_->stop();
  auto took = std::chrono::steady_clock::now() - start;
  auto res = busy.read_response(1s);
  EXPECT_EQ(status_of(res), 200) << res;
  EXPECT_NE(res.find("\r\n\r\ndone"), std::string::npos);
  EXPECT_NE(res.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(idle.wait_closed(100ms));  // idle keep-alive connections are closed at once
  EXPECT_LT(took, 2s);                   // did not sit out the grace period
  EXPECT_EQ(test::connect_loopback(port_), -1);
}

TEST_F(ServerTest, RandomBytesNeverCrashTheServer) {
  std::mt19937 rng(20240601);
  const std::vector<std::string> prefixes{
      "", "GET / HTTP/1.1\r\n", "POST /echo HTTP/1.1\r\n",
      "GET /hello HTTP/1.1\r\nContent-Length: ",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 300; ++i) {
    std::string data = prefixes[rng() % prefixes.size()];
    size_t n = rng() % 600;
    for (size_t k = 0; k < n; ++k) {
      // Mostly printable with CR/LF, sometimes any byte.
      data += rng() % 4 ? " \r\n:/0123456789abcdefGHIJ"[rng() % 25] : static_cast<char>(rng());
    }
    RawClient c(port_);
    c.send(data);
    c.shutdown_write();
    c.wait_closed(2s);
  }
  expect_server_still_serves();
}

}  // namespace
}  // namespace cp::http
