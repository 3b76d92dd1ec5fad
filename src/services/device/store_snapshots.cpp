// Queries of device_snapshots.
#include "services/device/store_snapshots.h"

#include "services/device/store.h"

namespace cp::device::store {

namespace {

constexpr const char* kColumns =
    "id, owner_id, device_id, name, state, state_reason, runtime, node, ref, spec, created_at, "
    "updated_at";
const std::string kSelect = std::string("SELECT ") + kColumns + " FROM device_snapshots ";

Snapshot read_snapshot(const db::Row& r) {
  Snapshot s;
  s.id = r.text("id");
  s.owner_id = r.text("owner_id");
  s.device_id = r.text("device_id");
  s.name = r.text("name");
  s.state = r.text("state");
  s.state_reason = r.text("state_reason");
  s.runtime = r.text("runtime");
  s.node = r.text("node");
  s.ref = r.text("ref");
  s.spec = spec_from_text(r.text("spec"));
  s.created_at = r.int64("created_at");
  s.updated_at = r.int64("updated_at");
  return s;
}

}  // namespace

void insert_snapshot(db::Executor& ex, const Snapshot& s) {
  ex.exec(std::string("INSERT INTO device_snapshots (") + kColumns +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
          {s.id, s.owner_id, s.device_id, s.name, s.state, s.state_reason, s.runtime, s.node, s.ref,
           spec_to_text(s.spec), s.created_at, s.updated_at});
}

std::optional<Snapshot> find_snapshot(db::Executor& ex, const std::string& id) {
  auto rows = ex.exec(kSelect + "WHERE id = $1 AND state <> 'deleting'", {id});
  if (rows.empty()) return std::nullopt;
  return read_snapshot(rows[0]);
}

Page<Snapshot> list_snapshots(db::Executor& ex, const std::string& owner_id,
                              const std::string& device_id, int64_t limit,
                              const std::string& after_id) {
  static const std::string kList =
      kSelect +
      "WHERE state <> 'deleting' AND ($1 = '' OR owner_id = $1) AND "
      "($2 = '' OR device_id = $2) AND ($3 = '' OR id > $3) ORDER BY id LIMIT $4";
  Page<Snapshot> page;
  for (const auto& r : ex.exec(kList, {owner_id, device_id, after_id, limit + 1})) {
    page.items.push_back(read_snapshot(r));
  }
  if (static_cast<int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

bool set_snapshot_state(db::Executor& ex, const std::string& id, const std::string& from,
                        const std::string& to, const std::string& reason, const std::string& ref,
                        int64_t now) {
  return ex.exec(
               "UPDATE device_snapshots SET state = $3, state_reason = $4, "
               "ref = CASE WHEN $5 = '' THEN ref ELSE $5 END, updated_at = $6 WHERE id = $1 AND "
               "state = $2",
               {id, from, to, reason, ref, now})
             .affected() == 1;
}

std::vector<Snapshot> snapshots_in_state(db::Executor& ex, const std::string& state) {
  std::vector<Snapshot> out;
  for (const auto& r : ex.exec(kSelect + "WHERE state = $1 ORDER BY id", {state}))
    out.push_back(read_snapshot(r));
  return out;
}

void delete_snapshot_row(db::Executor& ex, const std::string& id) {
  ex.exec("DELETE FROM device_snapshots WHERE id = $1", {id});
}

}  // namespace cp::device::store
