#include "services/device/operations.h"

#include <sstream>

#include "android/adb/adb_connection.h"
#include "core/problem.h"
#include "services/device/lifecycle.h"

namespace cp::device {

AdbLease connect_running(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  auto d = get_device(ctx, caller, id);
  auto plan = plan_action(DeviceAction::operate, d.state);
  if (auto* refused = std::get_if<Refusal>(&plan)) {
    throw http::conflict(refused->reason, "invalid_state");
  }
  try {
    return AdbLease(ctx.adb, id, ctx.adb.get(id, {d.adb_host, static_cast<uint16_t>(d.adb_port)}));
  } catch (const std::exception& e) {
    throw http::ApiError(http::Status::bad_gateway, "device_unreachable",
                         std::string("cannot reach the device over ADB: ") + e.what());
  }
}

bool cap_output(std::string& text, size_t limit) {
  if (text.size() <= limit) return false;
  text.resize(limit);
  return true;
}

std::vector<std::string> parse_package_list(const std::string& output) {
  std::vector<std::string> names;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("package:", 0) == 0 && line.size() > 8) names.push_back(line.substr(8));
  }
  return names;
}

std::map<std::string, std::string> parse_getprop(const std::string& output) {
  std::map<std::string, std::string> props;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    auto k_end = line.find("]: [");
    if (line.size() < 6 || line[0] != '[' || k_end == std::string::npos) continue;
    auto v_end = line.rfind(']');
    if (v_end <= k_end + 3) continue;
    props[line.substr(1, k_end - 1)] = line.substr(k_end + 4, v_end - k_end - 4);
  }
  return props;
}

ExecResult exec_on_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                          const std::string& command) {
  auto conn = connect_running(ctx, caller, id);
  auto r = over_adb(conn, [&] { return conn->shell(command, ctx.settings.exec_timeout); });
  ExecResult out{std::move(r.out), std::move(r.err), r.exit_code, false};
  out.truncated = cap_output(out.stdout_text, ctx.settings.output_limit);
  out.truncated |= cap_output(out.stderr_text, ctx.settings.output_limit);
  return out;
}

std::string screenshot_png(DeviceContext& ctx, const http::Identity& caller,
                           const std::string& id) {
  auto conn = connect_running(ctx, caller, id);
  auto png =
      over_adb(conn, [&] { return conn->exec("screencap -p", {}, ctx.settings.exec_timeout); });
  if (png.size() < 8 || png.compare(1, 3, "PNG") != 0) {
    throw http::ApiError(http::Status::bad_gateway, "adb_failed", "screencap did not return a PNG");
  }
  return png;
}

std::vector<std::string> third_party_packages(DeviceContext& ctx, const http::Identity& caller,
                                              const std::string& id) {
  auto conn = connect_running(ctx, caller, id);
  auto r =
      over_adb(conn, [&] { return conn->shell("pm list packages -3", ctx.settings.exec_timeout); });
  return parse_package_list(r.out);
}

std::map<std::string, std::string> device_properties(DeviceContext& ctx,
                                                     const http::Identity& caller,
                                                     const std::string& id) {
  auto conn = connect_running(ctx, caller, id);
  return parse_getprop(
      over_adb(conn, [&] { return conn->shell("getprop", ctx.settings.exec_timeout).out; }));
}

std::pair<std::string, bool> device_logcat(DeviceContext& ctx, const http::Identity& caller,
                                           const std::string& id, int lines) {
  auto conn = connect_running(ctx, caller, id);
  auto text = over_adb(conn, [&] {
    return conn->shell("logcat -d -t " + std::to_string(lines), ctx.settings.exec_timeout).out;
  });
  bool truncated = text.size() > ctx.settings.output_limit;
  if (truncated) text = text.substr(text.size() - ctx.settings.output_limit);  // keep the newest
  return {std::move(text), truncated};
}

void reboot_device(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  auto conn = connect_running(ctx, caller, id);
  over_adb(conn, [&] {
    conn->reboot();
    return 0;
  });
  ctx.adb.drop(id);  // the connection dies with the reboot
  if (move_device(ctx, id, DeviceState::running, DeviceState::booting, "rebooting")) {
    ctx.jobs.post([&ctx, id] { wait_until_ready(ctx, id); });
  }
}

}  // namespace cp::device
