// Queries of the devices table.
#include "services/device/store.h"

#include <boost/json.hpp>

namespace cp::device::store {

namespace {

constexpr const char* kColumns =
    "id, owner_id, name, state, state_reason, runtime, runtime_id, adb_host, adb_port, "
    "android_version, "
    "width, height, dpi, fps, cpu_cores, memory_mb, storage_mb, idempotency_key, created_at, "
    "updated_at, "
    "started_at, node, restore_snapshot_id";

const std::string kInsert = std::string("INSERT INTO devices (") + kColumns +
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                            "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23)";
const std::string kSelect = std::string("SELECT ") + kColumns + " FROM devices ";
const std::string kFindById = kSelect + "WHERE id = $1 AND state <> 'deleted'";
const std::string kFindByKey = kSelect + "WHERE owner_id = $1 AND idempotency_key = $2";
constexpr const char* kUsage =
    "SELECT COUNT(*) AS n, COALESCE(SUM(cpu_cores), 0) AS cpu, COALESCE(SUM(memory_mb), 0) AS mem "
    "FROM devices WHERE owner_id = $1 AND state <> 'deleted'";
constexpr const char* kTransition =
    "UPDATE devices SET state = $3, state_reason = $4, updated_at = $5, "
    "deleted_at = CASE WHEN $3 = 'deleted' THEN $5 ELSE deleted_at END WHERE id = $1 AND state = "
    "$2";
constexpr const char* kSetRuntimeId =
    "UPDATE devices SET runtime_id = $2, updated_at = $3 WHERE id = $1";
constexpr const char* kSetEndpoint =
    "UPDATE devices SET adb_host = $2, adb_port = $3, updated_at = $4 WHERE id = $1";
constexpr const char* kMarkStarted = "UPDATE devices SET started_at = $2 WHERE id = $1";

Device read_device(const db::Row& r) {
  Device d;
  d.id = r.text("id");
  d.owner_id = r.text("owner_id");
  d.name = r.text("name");
  d.state = parse_state(r.text("state")).value_or(DeviceState::error);
  d.state_reason = r.text("state_reason");
  d.runtime = r.text("runtime");
  d.runtime_id = r.text("runtime_id");
  d.adb_host = r.text("adb_host");
  d.adb_port = r.int64("adb_port");
  d.spec.android_version = r.text("android_version");
  d.spec.width = r.int64("width");
  d.spec.height = r.int64("height");
  d.spec.dpi = r.int64("dpi");
  d.spec.fps = r.int64("fps");
  d.spec.cpu_cores = r.int64("cpu_cores");
  d.spec.memory_mb = r.int64("memory_mb");
  d.spec.storage_mb = r.int64("storage_mb");
  d.idempotency_key = r.opt_text("idempotency_key");
  d.created_at = r.int64("created_at");
  d.updated_at = r.int64("updated_at");
  d.started_at = r.opt_int64("started_at");
  d.node = r.text("node");
  d.restore_snapshot_id = r.text("restore_snapshot_id");
  return d;
}

std::optional<Device> first(const db::Result& result) {
  if (result.empty()) return std::nullopt;
  return read_device(result[0]);
}

db::Param opt(const std::optional<std::string>& v) {
  return v ? db::Param(*v) : db::Param(nullptr);
}
db::Param opt(const std::optional<int64_t>& v) {
  return v ? db::Param(*v) : db::Param(nullptr);
}

}  // namespace

std::string spec_to_text(const DeviceSpec& s) {
  return boost::json::serialize(boost::json::object{{"android_version", s.android_version},
                                                    {"width", s.width},
                                                    {"height", s.height},
                                                    {"dpi", s.dpi},
                                                    {"fps", s.fps},
                                                    {"cpu_cores", s.cpu_cores},
                                                    {"memory_mb", s.memory_mb},
                                                    {"storage_mb", s.storage_mb}});
}
DeviceSpec spec_from_text(const std::string& text) {
  auto o = boost::json::parse(text).as_object();
  DeviceSpec s;
  s.android_version = std::string(o.at("android_version").as_string());
  s.width = o.at("width").as_int64();
  s.height = o.at("height").as_int64();
  s.dpi = o.at("dpi").as_int64();
  s.fps = o.at("fps").as_int64();
  s.cpu_cores = o.at("cpu_cores").as_int64();
  s.memory_mb = o.at("memory_mb").as_int64();
  s.storage_mb = o.at("storage_mb").as_int64();
  return s;
}
void insert_device(Executor& ex, const Device& d) {
  ex.exec(kInsert, {d.id,
                    d.owner_id,
                    d.name,
                    std::string(to_string(d.state)),
                    d.state_reason,
                    d.runtime,
                    d.runtime_id,
                    d.adb_host,
                    d.adb_port,
                    d.spec.android_version,
                    d.spec.width,
                    d.spec.height,
                    d.spec.dpi,
                    d.spec.fps,
                    d.spec.cpu_cores,
                    d.spec.memory_mb,
                    d.spec.storage_mb,
                    opt(d.idempotency_key),
                    d.created_at,
                    d.updated_at,
                    opt(d.started_at),
                    d.node,
                    d.restore_snapshot_id});
}

std::optional<Device> find_device(Executor& ex, const std::string& id) {
  return first(ex.exec(kFindById, {id}));
}

std::optional<Device> find_device_including_deleted(Executor& ex, const std::string& id) {
  return first(ex.exec(kSelect + "WHERE id = $1", {id}));
}

std::optional<Device> find_by_idempotency_key(Executor& ex, const std::string& owner_id,
                                              const std::string& key) {
  return first(ex.exec(kFindByKey, {owner_id, key}));
}

Page<Device> list_devices(Executor& ex, const DeviceFilter& f) {
  // Optional filters as "$n = '' OR column = $n" keep one statement with a fixed parameter list.
  static const std::string kList =
      kSelect +
      "WHERE state <> 'deleted' AND ($1 = '' OR owner_id = $1) AND ($2 = '' OR state = $2) "
      "AND ($3 = '' OR id > $3) AND ($5 = '' OR runtime = $5) ORDER BY id LIMIT $4";
  auto rows =
      ex.exec(kList, {f.owner_id, f.state ? std::string(to_string(*f.state)) : std::string(),
                      f.after_id, f.limit + 1, f.runtime});
  Page<Device> page;
  for (const auto& r : rows) page.items.push_back(read_device(r));
  if (static_cast<int64_t>(page.items.size()) > f.limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

std::vector<Device> devices_in_states(Executor& ex, const std::vector<DeviceState>& states) {
  std::vector<Device> out;
  for (auto s : states) {
    for (const auto& r :
         ex.exec(kSelect + "WHERE state = $1 ORDER BY id", {std::string(to_string(s))})) {
      out.push_back(read_device(r));
    }
  }
  return out;
}

Usage owner_usage(Executor& ex, const std::string& owner_id) {
  auto r = ex.exec(kUsage, {owner_id}).one();
  return {r.int64("n"), r.int64("cpu"), r.int64("mem")};
}

bool transition(Executor& ex, const std::string& id, DeviceState from, DeviceState to,
                const std::string& reason, int64_t now) {
  return ex.exec(kTransition,
                 {id, std::string(to_string(from)), std::string(to_string(to)), reason, now})
             .affected() == 1;
}

void set_runtime_instance(Executor& ex, const std::string& id, const std::string& runtime_id,
                          int64_t now) {
  ex.exec(kSetRuntimeId, {id, runtime_id, now});
}

void set_adb_endpoint(Executor& ex, const std::string& id, const std::string& host, int64_t port,
                      int64_t now) {
  ex.exec(kSetEndpoint, {id, host, port, now});
}

void mark_started(Executor& ex, const std::string& id, int64_t now) {
  ex.exec(kMarkStarted, {id, now});
}

void set_node(Executor& ex, const std::string& id, const std::string& node, int64_t now) {
  ex.exec("UPDATE devices SET node = $2, updated_at = $3 WHERE id = $1", {id, node, now});
}

std::map<std::string, runtime::NodeUsage> node_usage(Executor& ex, const std::string& runtime) {
  std::map<std::string, runtime::NodeUsage> out;
  for (const auto& r : ex.exec("SELECT node, COUNT(*) AS n, COALESCE(SUM(cpu_cores), 0) AS cpu, "
                               "COALESCE(SUM(memory_mb), 0) AS mem FROM devices "
                               "WHERE state <> 'deleted' AND runtime = $1 GROUP BY node",
                               {runtime})) {
    out[r.text("node")] = {r.int64("n"), r.int64("cpu"), r.int64("mem")};
  }
  return out;
}

}  // namespace cp::device::store
