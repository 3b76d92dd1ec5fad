// The docker runtime's container lifecycle: create, start (and find the published ADB port),
// stop, restart, remove, inspect, logs, list and stats, each one or a few Engine API calls.
// The create body is built in docker_create_body.cpp, engine documents are read in
// docker_inspect.cpp, snapshots live in docker_snapshots.cpp.
#include <cctype>
#include <thread>

#include "core/http_client.h"
#include "runtime/docker_runtime.h"
#include "runtime/docker_runtime_internal.h"

namespace cp::runtime {

using namespace std::chrono_literals;
using namespace docker_detail;

namespace {

void check_device_id(const std::string& id) {
  // Container names: [a-zA-Z0-9][a-zA-Z0-9_.-]*
  bool ok = !id.empty() && std::isalnum(static_cast<unsigned char>(id[0]));
  for (char c : id)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok) throw RuntimeError("invalid device id for a container name: '" + id + "'");
}

}  // namespace

DockerRuntime::DockerRuntime(DockerRuntimeOptions options)
    : DockerRuntime(options, make_engine_transport(options.host)) {}

DockerRuntime::DockerRuntime(DockerRuntimeOptions options,
                             std::unique_ptr<EngineTransport> transport)
    : options_(std::move(options)),
      api_(std::move(transport), DockerApi::Options{.timeout = options_.call_timeout}) {
  adb_host_ = options_.adb_host;
  if (adb_host_.empty()) {
    adb_host_ = "127.0.0.1";
    if (options_.host.rfind("unix://", 0) != 0) {
      auto rest = options_.host.substr(options_.host.find("://") + 3);
      auto ep = http::parse_endpoint("http://" + rest);
      adb_host_ = ep.host;
    }
  }
}

void DockerRuntime::ping() {
  guarded("ping", [&] { api_.ping(); });
}

std::string DockerRuntime::create(const RuntimeSpec& spec) {
  check_device_id(spec.device_id);
  auto name = container_name(spec.device_id);
  auto body = build_create_body(options_, spec);
  return guarded("create " + name, [&] {
    if (api_.inspect(name)) return name;  // same device again: the same container
    try {
      api_.create_container(name, body);
    } catch (const DockerApiError& e) {
      if (e.status == 409) return name;  // created concurrently
      if (e.status == 404) {
        throw RuntimeError(
            "docker runtime: image '" + std::string(body.at("Image").as_string()) +
            "' not found on the engine at " + api_.describe() +
            " (build it with scripts/build-devicesim-image.sh, or pull it): " + e.what());
      }
      throw;
    }
    std::lock_guard lock(mu_);
    stopped_on_request_.erase(name);
    return name;
  });
}

AdbEndpoint DockerRuntime::endpoint_of(const std::string& id) {
  // The engine assigns the published port while starting; it is visible right after.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  for (;;) {
    auto doc = api_.inspect(id);
    if (!doc) throw RuntimeError("docker runtime: container " + id + " vanished while starting");
    auto st = status_from_inspect(*doc, adb_host_, false);
    if (st.state == InstanceState::running && st.endpoint.port != 0) return st.endpoint;
    if (st.state != InstanceState::running && st.state != InstanceState::created) {
      throw RuntimeError("docker runtime: container " + id + " did not stay up: " + st.reason);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw RuntimeError("docker runtime: container " + id + " has no published ADB port");
    }
    std::this_thread::sleep_for(50ms);
  }
}

AdbEndpoint DockerRuntime::start(const std::string& id) {
  return guarded("start " + id, [&] {
    try {
      api_.start(id);
    } catch (const DockerApiError& e) {
      if (e.status == 404) throw RuntimeError("no such instance: " + id);
      throw;
    }
    {
      std::lock_guard lock(mu_);
      stopped_on_request_.erase(id);
    }
    return endpoint_of(id);
  });
}

void DockerRuntime::stop(const std::string& id, std::chrono::milliseconds grace) {
  auto secs = std::chrono::ceil<std::chrono::seconds>(grace);
  guarded("stop " + id, [&] {
    {
      std::lock_guard lock(mu_);
      stopped_on_request_.insert(id);
    }
    try {
      api_.stop(id, secs);
    } catch (const DockerApiError& e) {
      if (e.status == 404) throw RuntimeError("no such instance: " + id);
      throw;
    }
  });
}

AdbEndpoint DockerRuntime::restart(const std::string& id, std::chrono::milliseconds grace) {
  auto secs = std::chrono::ceil<std::chrono::seconds>(grace);
  return guarded("restart " + id, [&] {
    {
      std::lock_guard lock(mu_);
      stopped_on_request_.erase(id);
    }
    try {
      api_.restart(id, secs);
    } catch (const DockerApiError& e) {
      if (e.status == 404) throw RuntimeError("no such instance: " + id);
      throw;
    }
    return endpoint_of(id);
  });
}

void DockerRuntime::remove(const std::string& id) {
  guarded("remove " + id, [&] { api_.remove(id, /*force=*/true, /*volumes=*/true); });
  std::lock_guard lock(mu_);
  stopped_on_request_.erase(id);
}

InstanceStatus DockerRuntime::inspect(const std::string& id) {
  return guarded("inspect " + id, [&] {
    auto doc = api_.inspect(id);
    if (!doc) return InstanceStatus{};
    bool requested;
    {
      std::lock_guard lock(mu_);
      requested = stopped_on_request_.count(id) > 0;
    }
    return status_from_inspect(*doc, adb_host_, requested);
  });
}

std::string DockerRuntime::logs(const std::string& id, size_t max_bytes) {
  auto lines = static_cast<int>(std::min<size_t>(max_bytes / 16 + 1, 100'000));
  auto text = guarded("logs " + id, [&] { return api_.logs(id, lines); });
  if (text.size() > max_bytes) text.erase(0, text.size() - max_bytes);
  return text;
}

std::vector<std::string> DockerRuntime::list() {
  return guarded("list", [&] {
    std::vector<std::string> out;
    for (const auto& c : api_.list_by_label(kDeviceLabel)) out.push_back(c.name);
    return out;
  });
}

ContainerStats DockerRuntime::stats(const std::string& id) {
  return stats_from_json(guarded("stats " + id, [&] { return api_.stats(id); }));
}

}  // namespace cp::runtime
