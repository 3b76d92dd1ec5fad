#include "services/device/views.h"

#include "core/ids.h"
#include "core/problem.h"

namespace cp::device {

boost::json::object device_json(const Device& d) {
  boost::json::object spec{{"android_version", d.spec.android_version},
                           {"width", d.spec.width},
                           {"height", d.spec.height},
                           {"dpi", d.spec.dpi},
                           {"fps", d.spec.fps},
                           {"cpu_cores", d.spec.cpu_cores},
                           {"memory_mb", d.spec.memory_mb},
                           {"storage_mb", d.spec.storage_mb}};
  boost::json::object out{{"id", d.id},
                          {"owner_id", d.owner_id},
                          {"name", d.name},
                          {"state", to_string(d.state)},
                          {"state_reason", d.state_reason},
                          {"runtime", d.runtime},
                          {"node", d.node},
                          {"spec", std::move(spec)},
                          {"created_at", to_rfc3339(d.created_at)},
                          {"updated_at", to_rfc3339(d.updated_at)}};
  out["started_at"] =
      d.started_at ? boost::json::value(to_rfc3339(*d.started_at)) : boost::json::value(nullptr);
  if (d.adb_port > 0) out["adb"] = {{"host", d.adb_host}, {"port", d.adb_port}};
  if (!d.restore_snapshot_id.empty()) out["restored_from"] = d.restore_snapshot_id;
  return out;
}

boost::json::object page_json(const Page<Device>& page) {
  boost::json::array items;
  for (const auto& d : page.items) items.push_back(device_json(d));
  boost::json::object out{{"items", std::move(items)}};
  out["next_cursor"] =
      page.next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(page.next_cursor);
  return out;
}

store::DeviceFilter read_filter(const http::RequestContext& rc) {
  store::DeviceFilter f;
  if (auto s = rc.query("state"); s && !s->empty()) {
    f.state = parse_state(*s);
    if (!f.state || *f.state == DeviceState::deleted) {
      throw http::bad_request(
          "state", "must be one of creating, booting, running, stopping, stopped, error");
    }
  }
  f.owner_id = rc.query("owner").value_or("");
  f.runtime = rc.query("runtime").value_or("");
  if (!f.runtime.empty() && f.runtime != "process" && f.runtime != "docker" && f.runtime != "adb") {
    throw http::bad_request("runtime", "must be one of process, docker, adb");
  }
  f.after_id = rc.query("cursor").value_or("");
  f.limit = static_cast<decltype(f.limit)>(rc.query_int("limit", f.limit, 1, 200));
  return f;
}

}  // namespace cp::device
