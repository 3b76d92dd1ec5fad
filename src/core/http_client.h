#pragma once
// Blocking HTTP/1.1 client for worker threads: connect/read/write timeouts on every call,
// keep-alive connections pooled per host:port. Used for service-to-service calls, health checks,
// and later S3, the Docker Engine API and webhooks. A failed call throws HttpClientError.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/http_client_error.h"
#include "core/http_types.h"
#include "core/spooled_body.h"

namespace cp::http {

struct Endpoint {
  std::string host;
  uint16_t port = 80;
  std::string key() const { return host + ":" + std::to_string(port); }
};

// Parses "http://host:port" (no TLS for internal calls; TLS terminates at the ingress).
Endpoint parse_endpoint(const std::string& url);

class HttpClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds request_timeout{3000};
    size_t max_idle_per_host = 32;
    size_t max_response_bytes = 64 << 20;
  };
  HttpClient();
  explicit HttpClient(Options options);
  ~HttpClient();

  // Sends req (Host and Content-Length are set here). The timeout bounds the whole exchange.
  // With `upload`, the file is streamed as the body; the timeout then bounds each chunk and the
  // wait for the response, not the whole transfer.
  Response send(const Endpoint& endpoint, Request req,
                std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                const SpooledBody* upload = nullptr);

 private:
  struct Connection;
  // A pooled connection unless `fresh`; a new one is connected by `deadline`.
  std::unique_ptr<Connection> checkout(const Endpoint& endpoint,
                                       std::chrono::steady_clock::time_point deadline, bool fresh);
  void checkin(const Endpoint& endpoint, std::unique_ptr<Connection> conn);
  Options options_;
  std::mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
};

}  // namespace cp::http
