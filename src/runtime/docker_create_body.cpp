// The container a device runs in, as the body of POST /containers/create: the image, the boot
// command line of the profile (redroid or simulator), resources, the published ADB port and the
// labels that tie the container to its device. Pure, so the unit tests check it without an
// engine.
#include <boost/json/serialize.hpp>

#include "runtime/docker_runtime.h"
#include "runtime/docker_runtime_internal.h"

namespace cp::runtime {

namespace json = boost::json;
using namespace docker_detail;

namespace {

std::string redroid_tag(const std::string& version) {
  // "13" -> "13.0.0"; "11.0.0" stays.
  if (version.find('.') == std::string::npos) return version + ".0.0";
  return version;
}

}  // namespace

namespace docker_detail {

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

}  // namespace docker_detail

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

}  // namespace cp::runtime
