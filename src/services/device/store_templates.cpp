// Queries of device_templates and device_init_commands.
#include "services/device/store_templates.h"

#include "services/device/store.h"

#include <boost/json.hpp>

namespace cp::device::store {

namespace {

constexpr const char* kColumns =
    "id, owner_id, name, spec, init_commands, apps, created_at, updated_at";
const std::string kSelect = std::string("SELECT ") + kColumns + " FROM device_templates ";

std::string strings_json(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return boost::json::serialize(a);
}
std::vector<std::string> strings_from(const std::string& text) {
  std::vector<std::string> out;
  auto parsed = boost::json::parse(text);  // kept alive: the loop borrows from it
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}
DeviceTemplate read_template(const db::Row& r) {
  return {r.text("id"),
          r.text("owner_id"),
          r.text("name"),
          spec_from_text(r.text("spec")),
          strings_from(r.text("init_commands")),
          strings_from(r.text("apps")),
          r.int64("created_at"),
          r.int64("updated_at")};
}

}  // namespace

void insert_template(db::Executor& ex, const DeviceTemplate& t) {
  ex.exec(std::string("INSERT INTO device_templates (") + kColumns +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {t.id, t.owner_id, t.name, spec_to_text(t.spec), strings_json(t.init_commands),
           strings_json(t.apps), t.created_at, t.updated_at});
}

std::optional<DeviceTemplate> find_template(db::Executor& ex, const std::string& id) {
  auto rows = ex.exec(kSelect + "WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return read_template(rows[0]);
}

Page<DeviceTemplate> list_templates(db::Executor& ex, const std::string& owner_id, int64_t limit,
                                    const std::string& after_id) {
  static const std::string kList =
      kSelect + "WHERE ($1 = '' OR owner_id = $1) AND ($2 = '' OR id > $2) ORDER BY id LIMIT $3";
  Page<DeviceTemplate> page;
  for (const auto& r : ex.exec(kList, {owner_id, after_id, limit + 1}))
    page.items.push_back(read_template(r));
  if (static_cast<int64_t>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

void update_template(db::Executor& ex, const DeviceTemplate& t) {
  ex.exec(
      "UPDATE device_templates SET name = $2, spec = $3, init_commands = $4, apps = $5, updated_at "
      "= $6 "
      "WHERE id = $1",
      {t.id, t.name, spec_to_text(t.spec), strings_json(t.init_commands), strings_json(t.apps),
       t.updated_at});
}

bool delete_template(db::Executor& ex, const std::string& id) {
  return ex.exec("DELETE FROM device_templates WHERE id = $1", {id}).affected() == 1;
}

void insert_init_commands(db::Executor& ex, const std::string& device_id,
                          const std::string& template_id, const std::vector<std::string>& commands,
                          int64_t now) {
  ex.exec(
      "INSERT INTO device_init_commands (device_id, template_id, commands, status, updated_at) "
      "VALUES ($1, $2, $3, 'pending', $4)",
      {device_id, template_id, strings_json(commands), now});
}

std::optional<std::vector<std::string>> pending_init_commands(db::Executor& ex,
                                                              const std::string& device_id) {
  auto rows = ex.exec(
      "SELECT commands FROM device_init_commands WHERE device_id = $1 AND status = 'pending'",
      {device_id});
  if (rows.empty()) return std::nullopt;
  return strings_from(rows[0].text("commands"));
}

bool finish_init_commands(db::Executor& ex, const std::string& device_id, const std::string& status,
                          const std::string& detail, int64_t now) {
  return ex.exec(
               "UPDATE device_init_commands SET status = $2, detail = $3, updated_at = $4 "
               "WHERE device_id = $1 AND status = 'pending'",
               {device_id, status, detail, now})
             .affected() == 1;
}

void set_running_reason(db::Executor& ex, const std::string& device_id, const std::string& reason,
                        int64_t now) {
  ex.exec(
      "UPDATE devices SET state_reason = $2, updated_at = $3 WHERE id = $1 AND state = 'running'",
      {device_id, reason, now});
}

}  // namespace cp::device::store
