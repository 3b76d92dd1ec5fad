#pragma once
// Shared by the docker runtime's own sources (docker_runtime.cpp, docker_create_body.cpp,
// docker_inspect.cpp, docker_snapshots.cpp); not part of its interface, include
// runtime/docker_runtime.h instead.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/docker_runtime.h"

namespace cp::runtime::docker_detail {

// list() finds our containers by the device label; restore() rebuilds a container from the spec
// label, so it works after a service restart.
inline constexpr const char* kDeviceLabel = "cloudphone.device";
inline constexpr const char* kSpecLabel = "cloudphone.spec";
inline constexpr const char* kAdbPort = "5555/tcp";

// Readers for engine documents: a missing or mistyped member reads as empty, 0 or null, and the
// caller decides what that means.
inline std::string str(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}
inline int64_t num(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return 0;
}
inline const boost::json::object* obj(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

// The spec label's content (docker_create_body.cpp): written at create, read back by restore.
boost::json::object spec_to_json(const RuntimeSpec& spec);
RuntimeSpec spec_from_json(const boost::json::object& o);

// Pure: ContainerStats from a one-shot stats document (docker_inspect.cpp).
ContainerStats stats_from_json(const boost::json::object& doc);

// Runs one engine exchange; the engine's own errors become RuntimeError naming the operation,
// the only error type callers of a DeviceRuntime handle.
template <class F>
auto guarded(const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const EngineUnreachable& e) {
    throw RuntimeError("docker runtime: " + what + ": container engine unreachable: " + e.what());
  } catch (const DockerApiError& e) {
    throw RuntimeError("docker runtime: " + what + ": " + e.what());
  }
}

}  // namespace cp::runtime::docker_detail
