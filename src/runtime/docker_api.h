#pragma once
// A small client for the Docker Engine API (v1.41 paths; also served by podman's
// Docker-compatible service): the container calls the docker runtime needs and commit.
// Every call has a timeout. Engine errors become DockerApiError with the HTTP status and the
// engine's own message; an unreachable engine becomes EngineUnreachable (engine_transport.h).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/engine_transport.h"

namespace cp::runtime {

struct DockerApiError : std::runtime_error {
  DockerApiError(int s, const std::string& what) : std::runtime_error(what), status(s) {}
  int status;  // HTTP status from the engine (404 no such container/image, 409 conflict, ...)
};

// Decodes the 8-byte-header multiplexed stream of a non-TTY container's logs/attach
// ([stream, 0, 0, 0, size big-endian u32] + payload). stdout and stderr are appended in order
// to `out`. Returns false when the data is not a well-formed frame sequence (e.g. a TTY
// container's raw stream, or a truncated last frame — whose bytes are then still appended).
bool decode_log_frames(std::string_view data, std::string& out);

struct ContainerSummary {
  std::string id;
  std::string name;  // without the leading '/'
  std::string state;
  std::map<std::string, std::string> labels;
};

class DockerApi {
 public:
  struct Options {
    std::chrono::milliseconds timeout{30'000};        // every call unless stated otherwise
    std::chrono::milliseconds commit_timeout{300'000};  // committing a large rootfs is slow
  };
  explicit DockerApi(std::unique_ptr<EngineTransport> transport);
  DockerApi(std::unique_ptr<EngineTransport> transport, Options options);

  std::string describe() const { return transport_->describe(); }
  void ping();  // GET /_ping
  // POST /containers/create?name=...; returns the container id.
  std::string create_container(const std::string& name, const boost::json::object& body);
  void start(const std::string& id);  // already running is fine
  void stop(const std::string& id, std::chrono::seconds grace);  // already stopped is fine
  void restart(const std::string& id, std::chrono::seconds grace);
  // nullopt when the container does not exist.
  std::optional<boost::json::object> inspect(const std::string& id);
  void remove(const std::string& id, bool force, bool volumes);  // absent is fine
  std::string logs(const std::string& id, int tail_lines);
  boost::json::object stats(const std::string& id);  // one-shot
  // POST /commit; returns the new image id.
  std::string commit(const std::string& id, const std::string& repo, const std::string& tag);
  std::optional<boost::json::object> inspect_image(const std::string& ref);
  void remove_image(const std::string& ref, bool force);  // absent is fine
  // Every container (running or not) carrying the label key (or key=value).
  std::vector<ContainerSummary> list_by_label(const std::string& label);

 private:
  http::Response call(http::Method method, const std::string& target,
                      std::optional<boost::json::value> body = std::nullopt,
                      std::optional<std::chrono::milliseconds> timeout = std::nullopt);
  [[noreturn]] void fail(const std::string& what, const http::Response& res);

  std::unique_ptr<EngineTransport> transport_;
  Options options_;
};

}  // namespace cp::runtime
