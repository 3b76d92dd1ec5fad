#pragma once
// HTTP/1.1 + WebSocket server on Boost.Beast with C++20 coroutines. One coroutine per
// connection owns all I/O (keep-alive, a fresh parser with a body limit per message, a timeout
// before every read); handlers run on a separate worker pool so blocking work (libpq, Argon2)
// never stalls I/O. stop() drains gracefully: no new connections, in-flight requests finish.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/pipeline.h"

namespace cp::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;      // 0 = any free port
  size_t io_threads = 0;  // 0 = cores (offload mode) or max(8, 4 × cores) (inline mode)
  // true: handlers run on the I/O threads (fast path, measured in docs/performance.md);
  // false: each request is handed to a separate worker pool of worker_threads.
  bool inline_handlers = true;
  size_t worker_threads = 16;
  size_t body_limit = 1 << 20;   // bytes; larger bodies get 413
  size_t upload_body_limit = 0;  // for routes under upload_prefixes (0 = body_limit)
  std::vector<std::string> upload_prefixes;
  // Non-JSON bodies sent under upload_prefixes are streamed here (RequestContext::upload),
  // not held in memory. Empty = $TMPDIR/cloudphone-spool.
  std::string spool_dir;
  std::chrono::milliseconds read_timeout{30'000};  // header+body of one request
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive wait for the next request
  std::chrono::milliseconds shutdown_grace{10'000};
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, std::shared_ptr<const Pipeline> pipeline);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on background threads; returns the bound port.
  uint16_t start();
  // Graceful stop; blocks until drained or the grace period passes.
  void stop();
  uint16_t port() const { return port_; }

  struct Impl;  // public so the session coroutines in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace cp::http
