#include "runtime/docker_runtime.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <thread>

#include "core/http_client.h"

namespace cp::runtime {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* kDeviceLabel = "cloudphone.device";
constexpr const char* kSpecLabel = "cloudphone.spec";
constexpr const char* kAdbPort = "5555/tcp";

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
int64_t num(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return 0;
}
const json::object* obj(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

// The spec travels with the container (label) so restore can rebuild it after a service restart.
json::object spec_to_json(const RuntimeSpec& s) {
  json::object env, labels;
  for (const auto& [k, v] : s.env) env[k] = v;
  for (const auto& [k, v] : s.labels) labels[k] = v;
  return {{"device_id", s.device_id},
          {"name", s.name},
          {"android_version", s.android_version},
          {"width", s.width},
          {"height", s.height},
          {"dpi", s.dpi},
          {"fps", s.fps},
          {"cpu_cores", s.cpu_cores},
          {"memory_mb", s.memory_mb},
          {"storage_mb", s.storage_mb},
          {"model", s.model},
          {"image", s.image},
          {"env", env},
          {"labels", labels}};
}
RuntimeSpec spec_from_json(const json::object& o) {
  RuntimeSpec s;
  s.device_id = str(o, "device_id");
  s.name = str(o, "name");
  s.android_version = str(o, "android_version");
  s.width = static_cast<int>(num(o, "width"));
  s.height = static_cast<int>(num(o, "height"));
  s.dpi = static_cast<int>(num(o, "dpi"));
  s.fps = static_cast<int>(num(o, "fps"));
  s.cpu_cores = static_cast<int>(num(o, "cpu_cores"));
  s.memory_mb = static_cast<int>(num(o, "memory_mb"));
  s.storage_mb = static_cast<int>(num(o, "storage_mb"));
  s.model = str(o, "model");
  s.image = str(o, "image");
  if (auto* env = obj(o, "env")) {
    for (const auto& [k, v] : *env) {
      if (v.is_string()) s.env[std::string(k)] = v.as_string().c_str();
    }
  }
  if (auto* labels = obj(o, "labels")) {
    for (const auto& [k, v] : *labels) {
      if (v.is_string()) s.labels[std::string(k)] = v.as_string().c_str();
    }
  }
  return s;
}

void check_device_id(const std::string& id) {
  // Container names: [a-zA-Z0-9][a-zA-Z0-9_.-]*
  bool ok = !id.empty() && std::isalnum(static_cast<unsigned char>(id[0]));
  for (char c : id)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok) throw RuntimeError("invalid device id for a container name: '" + id + "'");
}
void check_snapshot_id(const std::string& id) {
  // Image tags: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
  bool ok = !id.empty() && id.size() <= 128 && id[0] != '.' && id[0] != '-';
  for (char c : id)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok) throw RuntimeError("invalid snapshot id for an image tag: '" + id + "'");
}

std::string redroid_tag(const std::string& version) {
  // "13" -> "13.0.0"; "11.0.0" stays.
  if (version.find('.') == std::string::npos) return version + ".0.0";
  return version;
}

}  // namespace

DockerProfile parse_docker_profile(const std::string& name) {
  if (name == "redroid") return DockerProfile::redroid;
  if (name == "simulator") return DockerProfile::simulator;
  throw std::invalid_argument("docker profile must be redroid or simulator: '" + name + "'");
}

std::string image_for(const DockerRuntimeOptions& options, const RuntimeSpec& spec) {
  if (!spec.image.empty()) return spec.image;
  if (!options.image.empty()) return options.image;
  if (options.profile == DockerProfile::redroid) {
    return "redroid/redroid:" + redroid_tag(spec.android_version) + "-latest";
  }
  throw RuntimeError(
      "docker runtime (simulator profile): no image configured (device.docker.image)");
}

json::object build_create_body(const DockerRuntimeOptions& options, const RuntimeSpec& spec) {
  json::array cmd;
  bool privileged = false;
  if (options.profile == DockerProfile::redroid) {
    // Redroid reads its boot configuration from the kernel-style command line of its init;
    // environment variables alone are ignored.
    privileged = true;
    cmd = {json::value("androidboot.redroid_width=" + std::to_string(spec.width)),
           json::value("androidboot.redroid_height=" + std::to_string(spec.height)),
           json::value("androidboot.redroid_dpi=" + std::to_string(spec.dpi)),
           json::value("androidboot.redroid_fps=" + std::to_string(spec.fps)),
           json::value("androidboot.redroid_gpu_mode=" + options.redroid_gpu_mode),
           json::value("androidboot.use_memfd=true")};
    if (!spec.model.empty()) cmd.emplace_back("ro.product.model=" + spec.model);
    cmd.emplace_back("ro.serialno=" + spec.device_id);
  } else {
    cmd = {"--host",
           "0.0.0.0",
           "--port",
           "5555",
           "--state-dir",
           "/data",
           "--width",
           json::value(std::to_string(spec.width)),
           "--height",
           json::value(std::to_string(spec.height)),
           "--dpi",
           json::value(std::to_string(spec.dpi)),
           "--fps",
           json::value(std::to_string(spec.fps)),
           "--android-version",
           json::value(spec.android_version),
           "--serial",
           json::value(spec.device_id)};
    if (!spec.model.empty()) {
      cmd.emplace_back("--model");
      cmd.emplace_back(spec.model);
    }
  }
  json::array env;
  for (const auto& [k, v] : spec.env) env.emplace_back(k + "=" + v);
  json::object labels;
  for (const auto& [k, v] : spec.labels) labels[k] = v;
  labels[kDeviceLabel] = spec.device_id;
  labels["cloudphone.profile"] =
      options.profile == DockerProfile::redroid ? "redroid" : "simulator";
  labels[kSpecLabel] = json::serialize(spec_to_json(spec));

  json::object binding{{"HostIp", options.publish_ip}, {"HostPort", ""}};  // "" = engine picks
  json::object host_config{
      {"Privileged", privileged},
      {"NanoCpus", static_cast<int64_t>(spec.cpu_cores) * 1'000'000'000},
      {"Memory", static_cast<int64_t>(spec.memory_mb) * 1024 * 1024},
      {"PortBindings", json::object{{kAdbPort, json::array{binding}}}},
      {"RestartPolicy", json::object{{"Name", "no"}}},
  };
  if (!options.network_mode.empty()) host_config["NetworkMode"] = options.network_mode;
  return {{"Image", image_for(options, spec)},
          {"Cmd", std::move(cmd)},
          {"Env", std::move(env)},
          {"Labels", std::move(labels)},
          {"Hostname", spec.device_id.substr(0, 63)},
          {"ExposedPorts", json::object{{kAdbPort, json::object{}}}},
          {"HostConfig", std::move(host_config)}};
}

InstanceStatus status_from_inspect(const json::object& inspect, const std::string& adb_host,
                                   bool stopped_on_request) {
  InstanceStatus st;
  const auto* state = obj(inspect, "State");
  if (!state) {
    st.state = InstanceState::failed;
    st.reason = "engine reported no container state";
    return st;
  }
  auto status = str(*state, "Status");
  auto exit_code = num(*state, "ExitCode");
  if (auto pid = num(*state, "Pid"); pid > 0) st.pid = static_cast<int>(pid);
  if (status == "running" || status == "paused") {
    st.state = InstanceState::running;
    if (const auto* ns = obj(inspect, "NetworkSettings")) {
      if (const auto* ports = obj(*ns, "Ports")) {
        auto* b = ports->if_contains(kAdbPort);
        if (b && b->is_array() && !b->as_array().empty() && b->as_array()[0].is_object()) {
          auto port = str(b->as_array()[0].as_object(), "HostPort");
          if (!port.empty()) {
            st.endpoint = {adb_host, static_cast<uint16_t>(std::stoi(port))};
          }
        }
      }
    }
  } else if (status == "restarting") {
    st.state = InstanceState::restarting;
  } else if (status == "created" || status == "configured" || status == "initialized") {
    st.state = InstanceState::created;
  } else {  // exited, stopped, dead, removing
    bool oom = state->if_contains("OOMKilled") && state->at("OOMKilled").is_bool() &&
               state->at("OOMKilled").as_bool();
    if (stopped_on_request || (exit_code == 0 && !oom)) {
      st.state = InstanceState::stopped;
      if (!stopped_on_request) st.reason = "exited with code 0";
    } else {
      st.state = InstanceState::failed;
      st.reason = oom ? "killed: out of memory" : "exited with code " + std::to_string(exit_code);
      if (auto err = str(*state, "Error"); !err.empty()) st.reason += ": " + err;
    }
  }
  return st;
}

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

template <class F>
auto DockerRuntime::guarded(const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const EngineUnreachable& e) {
    throw RuntimeError("docker runtime: " + what + ": container engine unreachable: " + e.what());
  } catch (const DockerApiError& e) {
    throw RuntimeError("docker runtime: " + what + ": " + e.what());
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

std::string DockerRuntime::snapshot_ref(const std::string& snapshot_id) const {
  check_snapshot_id(snapshot_id);
  return options_.snapshot_repo + ":" + snapshot_id;
}

std::string DockerRuntime::snapshot(const std::string& id, const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  guarded("snapshot " + id, [&] {
    try {
      api_.commit(id, options_.snapshot_repo, snapshot_id);
    } catch (const DockerApiError& e) {
      if (e.status == 404) throw RuntimeError("no such instance: " + id);
      throw;
    }
  });
  return ref;
}

void DockerRuntime::restore(const std::string& id, const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  guarded("restore " + id, [&] {
    if (!api_.inspect_image(ref)) throw RuntimeError("no such snapshot image: " + ref);
    auto doc = api_.inspect(id);
    if (!doc) throw RuntimeError("no such instance: " + id);
    const auto* config = obj(*doc, "Config");
    const auto* labels = config ? obj(*config, "Labels") : nullptr;
    auto spec_text = labels ? str(*labels, kSpecLabel) : std::string();
    boost::system::error_code ec;
    auto spec_json = json::parse(spec_text, ec);
    if (ec || !spec_json.is_object())
      throw RuntimeError("container " + id + " has no cloudphone.spec label");
    auto spec = spec_from_json(spec_json.as_object());
    spec.image = ref;
    api_.remove(id, true, true);
    api_.create_container(id, build_create_body(options_, spec));
  });
}

ContainerStats DockerRuntime::stats(const std::string& id) {
  auto doc = guarded("stats " + id, [&] { return api_.stats(id); });
  ContainerStats s;
  if (const auto* mem = obj(doc, "memory_stats")) {
    s.memory_bytes = static_cast<uint64_t>(num(*mem, "usage"));
    s.memory_limit = static_cast<uint64_t>(num(*mem, "limit"));
  }
  if (const auto* cpu = obj(doc, "cpu_stats")) {
    if (const auto* usage = obj(*cpu, "cpu_usage"))
      s.cpu_total_ns = static_cast<uint64_t>(num(*usage, "total_usage"));
  }
  if (const auto* pids = obj(doc, "pids_stats")) s.pids = static_cast<int>(num(*pids, "current"));
  return s;
}

void DockerRuntime::remove_snapshot(const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  guarded("remove snapshot " + ref, [&] { api_.remove_image(ref, /*force=*/false); });
}

bool DockerRuntime::snapshot_exists(const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  return guarded("inspect snapshot " + ref, [&] { return api_.inspect_image(ref).has_value(); });
}

}  // namespace cp::runtime
