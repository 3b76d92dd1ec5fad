#pragma once
// Calls one service that runs in other processes: round-robin over its configured instances,
// skipping those whose breaker is open or whose /health failed recently. When none can take the
// call it fails fast with 503 — the caller never waits on a dead instance twice in a row.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/circuit_breaker.h"
#include "core/http_client.h"

namespace cp::http {

class RemoteService {
 public:
  struct Options {
    std::chrono::milliseconds timeout{3000};
    CircuitBreaker::Options breaker;
    std::chrono::milliseconds health_interval{2000};  // 0 disables the health checker
  };
  RemoteService(std::string name, std::vector<std::string> urls, Options options);
  ~RemoteService();

  // Forwards the request to a healthy instance. 5xx answers and transport errors count as
  // failures for that instance's breaker. Throws ApiError 503 when no instance can answer.
  // `upload`, when set, is streamed as the body (Content-Length = its size).
  Response call(Request req, std::shared_ptr<const SpooledBody> upload = nullptr);
  const std::string& name() const { return name_; }
  size_t healthy_instances() const;

 private:
  struct Instance {
    Instance(Endpoint ep, CircuitBreaker::Options o) : endpoint(std::move(ep)), breaker(o) {}
    Endpoint endpoint;
    CircuitBreaker breaker;
    std::atomic<bool> healthy{true};
  };
  void health_loop();
  std::string name_;
  Options options_;
  HttpClient client_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::thread health_thread_;
};

}  // namespace cp::http
