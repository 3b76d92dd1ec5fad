#include "runtime/adb_attached_runtime.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "android/adb/adb_connection.h"

namespace cp::runtime {

namespace {

// A TCP connect within the timeout: the cheapest "is it there" probe that works for any
// ADB daemon (an ADB handshake may need an RSA key the phone has not accepted yet).
bool port_open(const AdbEndpoint& ep, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code result = boost::asio::error::timed_out;
  boost::asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(ep.host, std::to_string(ep.port), ec);
  if (ec) return false;
  boost::asio::async_connect(socket, endpoints,
                             [&](const boost::system::error_code& e, const auto&) { result = e; });
  io.run_for(timeout);
  return !result;
}

}  // namespace

std::string AdbAttachedRuntime::create(const RuntimeSpec& spec) {
  if (spec.adb_host.empty() || spec.adb_port == 0) {
    throw RuntimeError("the adb runtime needs the device's ADB host and port");
  }
  std::lock_guard lock(mu_);
  devices_[spec.device_id].endpoint = {spec.adb_host, spec.adb_port};
  return spec.device_id;
}

AdbAttachedRuntime::Attached AdbAttachedRuntime::get(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = devices_.find(id);
  if (it == devices_.end()) throw RuntimeError("no such attached device: " + id);
  return it->second;
}

AdbEndpoint AdbAttachedRuntime::start(const std::string& runtime_id) {
  auto device = get(runtime_id);
  std::lock_guard lock(mu_);
  devices_[runtime_id].in_use = true;
  return device.endpoint;
}

void AdbAttachedRuntime::stop(const std::string& runtime_id, std::chrono::milliseconds) {
  get(runtime_id);
  std::lock_guard lock(mu_);
  devices_[runtime_id].in_use = false;
}

AdbEndpoint AdbAttachedRuntime::restart(const std::string& runtime_id, std::chrono::milliseconds) {
  auto device = get(runtime_id);
  try {
    adb::AdbConnection::connect(device.endpoint.host, device.endpoint.port)->reboot();
  } catch (const std::exception& e) {
    throw RuntimeError(std::string("reboot over ADB failed: ") + e.what());
  }
  std::lock_guard lock(mu_);
  devices_[runtime_id].in_use = true;
  return device.endpoint;
}

void AdbAttachedRuntime::remove(const std::string& runtime_id) {
  std::lock_guard lock(mu_);
  devices_.erase(runtime_id);
}

InstanceStatus AdbAttachedRuntime::inspect(const std::string& runtime_id) {
  Attached device;
  {
    std::lock_guard lock(mu_);
    auto it = devices_.find(runtime_id);
    if (it == devices_.end()) return {InstanceState::absent, {}, "not attached", 0, {}};
    device = it->second;
  }
  if (!device.in_use) return {InstanceState::stopped, {}, "not in use", 0, {}};
  if (!port_open(device.endpoint, probe_timeout_)) {
    return {InstanceState::failed, {}, "ADB port " + device.endpoint.host + ":" +
                                           std::to_string(device.endpoint.port) + " does not answer", 0, {}};
  }
  return {InstanceState::running, device.endpoint, "", 0, {}};
}

std::string AdbAttachedRuntime::logs(const std::string& runtime_id, size_t) {
  get(runtime_id);
  return "";  // an attached phone has no runtime log of ours; use logcat
}

std::vector<std::string> AdbAttachedRuntime::list() {
  std::lock_guard lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, _] : devices_) ids.push_back(id);
  return ids;
}

}  // namespace cp::runtime
