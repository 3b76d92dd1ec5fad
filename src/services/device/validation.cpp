#include "services/device/validation.h"

#include <array>

#include "core/problem.h"

namespace cp::device {

using http::Schema;

namespace {
constexpr std::array kAndroidVersions{"11", "12", "13", "14"};
}

bool supported_android_version(const std::string& version) {
  for (const char* v : kAndroidVersions) {
    if (version == v) return true;
  }
  return false;
}

http::Schema device_spec_input_schema() {
  return Schema::object(
             {
                 {"android_version", Schema::string(1, 8)
                                         .one_of({"11", "12", "13", "14"})
                                         .describe("Android major version")},
                 {"width", Schema::integer(240, 4096).describe("screen width in pixels")},
                 {"height", Schema::integer(240, 4096).describe("screen height in pixels")},
                 {"dpi", Schema::integer(120, 640)},
                 {"fps", Schema::integer(1, 120)},
                 {"cpu_cores", Schema::integer(1, 32)},
                 {"memory_mb", Schema::integer(512, 65536)},
                 {"storage_mb", Schema::integer(1024, 1048576)},
             })
      .named("DeviceSpecInput")
      .describe("Omitted members take the defaults");
}

http::Schema create_device_schema() {
  auto spec = device_spec_input_schema();
  return Schema::object(
      {{"name", Schema::string(1, 64).describe("display name of the cloud phone")},
       {"spec", std::move(spec)}},
      {"name"});
}

CreateDeviceInput read_create_input(const boost::json::object& body) {
  CreateDeviceInput in;
  in.name = http::get_string(body, "name");
  if (const auto* s = body.if_contains("spec"); s && s->is_object()) {
    const auto& o = s->as_object();
    DeviceSpec d;
    in.spec.android_version = http::get_string(o, "android_version", d.android_version);
    in.spec.width = http::get_int(o, "width", d.width);
    in.spec.height = http::get_int(o, "height", d.height);
    in.spec.dpi = http::get_int(o, "dpi", d.dpi);
    in.spec.fps = http::get_int(o, "fps", d.fps);
    in.spec.cpu_cores = http::get_int(o, "cpu_cores", d.cpu_cores);
    in.spec.memory_mb = http::get_int(o, "memory_mb", d.memory_mb);
    in.spec.storage_mb = http::get_int(o, "storage_mb", d.storage_mb);
  }
  if (in.name.find_first_not_of(" \t") == std::string::npos) {
    throw http::bad_request("name", "must not be blank");
  }
  validate_spec(in.spec);
  return in;
}

void validate_spec(const DeviceSpec& spec) {
  if (!supported_android_version(spec.android_version)) {
    throw http::bad_request("spec.android_version", "must be one of 11, 12, 13, 14");
  }
  auto range = [](const char* field, int64_t v, int64_t lo, int64_t hi) {
    if (v < lo || v > hi) {
      throw http::bad_request(
          std::string("spec.") + field,
          "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
  };
  range("width", spec.width, 240, 4096);
  range("height", spec.height, 240, 4096);
  range("dpi", spec.dpi, 120, 640);
  range("fps", spec.fps, 1, 120);
  range("cpu_cores", spec.cpu_cores, 1, 32);
  range("memory_mb", spec.memory_mb, 512, 65536);
  range("storage_mb", spec.storage_mb, 1024, 1048576);
  // Video encoders work on macroblocks: odd sizes break H.264 streaming of the screen.
  if (spec.width % 2 != 0) throw http::bad_request("spec.width", "must be even");
  if (spec.height % 2 != 0) throw http::bad_request("spec.height", "must be even");
  // Android needs roughly 256 MB per core to boot; below that it thrashes.
  if (spec.memory_mb < spec.cpu_cores * 256) {
    throw http::bad_request("spec.memory_mb", "must be at least 256 MB per CPU core");
  }
}

}  // namespace cp::device
