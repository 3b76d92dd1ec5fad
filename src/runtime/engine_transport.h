#pragma once
// How the docker runtime reaches a Docker Engine API (Docker itself or podman's compatible
// service): HTTP/1.1 over a unix socket (`unix:///run/podman/podman.sock`) or over TCP
// (`tcp://host:2375`, `http://host:2375`). One blocking exchange per call, bounded by a timeout.
// An abstract interface so unit tests can record the requests the runtime builds.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/http_types.h"

namespace cp::runtime {

// The engine could not be reached or did not answer in time (not an HTTP error status).
struct EngineUnreachable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class EngineTransport {
 public:
  virtual ~EngineTransport() = default;
  // Sends req (Host and Content-Length are set here); throws EngineUnreachable.
  virtual http::Response send(http::Request req, std::chrono::milliseconds timeout) = 0;
  virtual std::string describe() const = 0;  // the engine address, for messages
};

// A fresh unix-socket connection per exchange (the engine is local; connecting is cheap).
class UnixHttpTransport final : public EngineTransport {
 public:
  explicit UnixHttpTransport(std::string socket_path, size_t max_response_bytes = 64 << 20);
  http::Response send(http::Request req, std::chrono::milliseconds timeout) override;
  std::string describe() const override { return "unix://" + path_; }

 private:
  std::string path_;
  size_t max_response_bytes_;
};

// "unix:///path", "tcp://host:port" or "http://host:port"; throws std::invalid_argument.
std::unique_ptr<EngineTransport> make_engine_transport(const std::string& host);

}  // namespace cp::runtime
