// RemoteService over real servers: round-robin, 5xx and dead instances open the breaker, an open
// breaker answers 503 at once, and the service recovers when an instance comes back.
#include "core/remote_service.h"

#include <gtest/gtest.h>

#include "core/server.h"

namespace cp::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A real service instance: /health, and /work answering 200 or 500 as told.
class Instance {
 public:
  explicit Instance(uint16_t port = 0) {
    auto router = std::make_shared<Router>();
    RouteSpec work;
    work.pattern = "/work";
    work.access = Access::public_route;
    work.handler = [this](RequestContext&) {
      hits++;
      return text_response(failing ? Status::internal_server_error : Status::ok, name,
                           "text/plain");
    };
    router->add(work);
    RouteSpec health = work;
    health.pattern = "/health";
    health.handler = [](RequestContext&) { return text_response(Status::ok, "ok", "text/plain"); };
    router->add(health);
    auto pipeline = std::make_shared<Pipeline>("instance");
    pipeline->set_handler(route_handler(router));
    ServerOptions options;
    options.port = port;
    options.io_threads = 1;
    options.worker_threads = 2;
    options.shutdown_grace = 1s;
    server_ = std::make_unique<HttpServer>(options, pipeline);
    port_ = server_->start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }
  void stop() { server_->stop(); }

  std::atomic<int> hits{0};
  std::atomic<bool> failing{false};
  std::string name = "instance";

 private:
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

RemoteService::Options options(std::chrono::milliseconds health_interval) {
  RemoteService::Options o;
  o.timeout = 300ms;
  o.breaker.window = 10s;
  o.breaker.min_calls = 3;
  o.breaker.failure_ratio = 0.5;
  o.breaker.reset_after = 300ms;
  o.health_interval = health_interval;
  return o;
}

Request work() {
  return Request{Method::get, "/work", 11};
}

int status_of_call(RemoteService& svc) {
  try {
    return svc.call(work()).result_int();
  } catch (const ApiError& e) {
    return static_cast<int>(e.status());
  }
}

TEST(RemoteServiceTest, RoundRobinsOverInstances) {
  Instance a, b;
  RemoteService svc("thing", {a.url(), b.url()}, options(0ms));
  for (int i = 0; i < 6; ++i) EXPECT_EQ(status_of_call(svc), 200);
  EXPECT_EQ(a.hits, 3);
  EXPECT_EQ(b.hits, 3);
}

TEST(RemoteServiceTest, ServerErrorsOpenTheBreakerAndCallsFailFastWithoutReachingIt) {
  Instance a;
  a.failing = true;
  RemoteService svc("thing", {a.url()}, options(0ms));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(status_of_call(svc), 500);
  EXPECT_EQ(a.hits, 3);
  try {
    svc.call(work());
    FAIL() << "expected 503";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), Status::service_unavailable);
    EXPECT_EQ(e.extra().at("retry_after"), 1);
  }
  EXPECT_EQ(a.hits, 3);
  // After reset_after, one probe goes through; success closes the breaker again.
  a.failing = false;
  std::this_thread::sleep_for(350ms);
  EXPECT_EQ(status_of_call(svc), 200);
  EXPECT_EQ(status_of_call(svc), 200);
}

TEST(RemoteServiceTest, HangingInstanceOpensTheBreakerThenCallsReturn503Fast) {
  // A listening socket that never answers: connections complete in the kernel backlog, requests
  // time out. The worst kind of dead instance.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::listen(fd, 16);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  RemoteService svc("thing", {"http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port))},
                    options(0ms));
  for (int i = 0; i < 3; ++i) {
    auto start = Clock::now();
    EXPECT_EQ(status_of_call(svc), 503);
    EXPECT_GE(Clock::now() - start, 250ms);  // each waited for its timeout
  }
  for (int i = 0; i < 5; ++i) {
    auto start = Clock::now();
    EXPECT_EQ(status_of_call(svc), 503);
    EXPECT_LT(Clock::now() - start, 100ms);  // the breaker is open: no waiting
  }
  ::close(fd);
}

TEST(RemoteServiceTest, GetFailsOverToTheNextInstance) {
  Instance alive;
  uint16_t dead_port;
  {
    Instance dead;
    dead_port = dead.port();
    dead.stop();
  }
  RemoteService svc("thing", {"http://127.0.0.1:" + std::to_string(dead_port), alive.url()},
                    options(0ms));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(status_of_call(svc), 200);
  EXPECT_EQ(alive.hits, 4);
}

TEST(RemoteServiceTest, RecoversWhenTheInstanceComesBack) {
  auto inst = std::make_unique<Instance>();
  const uint16_t port = inst->port();
  RemoteService svc("thing", {inst->url()}, options(50ms));
  EXPECT_EQ(status_of_call(svc), 200);
  inst->stop();
  inst.reset();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(status_of_call(svc), 503);
  auto start = Clock::now();
  EXPECT_EQ(status_of_call(svc), 503);
  EXPECT_LT(Clock::now() - start, 100ms);
  EXPECT_EQ(svc.healthy_instances(), 0u);
  inst = std::make_unique<Instance>(port);  // back on the same address
  auto deadline = Clock::now() + 3s;
  int status = 0;
  while (Clock::now() < deadline && (status = status_of_call(svc)) != 200) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(svc.healthy_instances(), 1u);
}

TEST(RemoteServiceTest, NoInstancesIs503) {
  RemoteService svc("nothing", {}, options(0ms));
  EXPECT_EQ(status_of_call(svc), 503);
}

}  // namespace
}  // namespace cp::http
