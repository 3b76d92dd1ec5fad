// `settings get|put|delete|list NAMESPACE ...` of the simulated device, and its store.
#include "devicesim/cmd_settings.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "devicesim/props.h"
#include "devicesim/shell_commands.h"
#include "devicesim/shell_interpreter.h"

namespace cp::devicesim {

SettingsStore::SettingsStore(const DeviceConfig& config)
    : file_(config.state_dir / "settings.json") {
  // android_id: 16 hex digits, stable per device.
  char android_id[17];
  std::snprintf(
      android_id, sizeof android_id, "%016zx",
      std::hash<std::string>{}(config.serial.empty() ? default_serial(config) : config.serial));
  tables_ = {
      {"system",
       {{"screen_brightness", "102"},
        {"screen_off_timeout", "60000"},
        {"font_scale", "1.0"},
        {"accelerometer_rotation", "0"},
        {"user_rotation", "0"}}},
      {"secure",
       {{"android_id", android_id},
        {"default_input_method", "com.android.inputmethod.latin/.LatinIME"},
        {"location_mode", "0"}}},
      {"global",
       {{"adb_enabled", "1"},
        {"airplane_mode_on", "0"},
        {"development_settings_enabled", "1"},
        {"device_name", config.model},
        {"stay_on_while_plugged_in", "0"},
        {"window_animation_scale", "1.0"},
        {"transition_animation_scale", "1.0"},
        {"animator_duration_scale", "1.0"}}},
  };
  std::ifstream in(file_);
  if (!in) {
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(text.str(), ec);
  if (ec || !doc.is_object()) {
    return;  // damaged file: defaults apply
  }
  for (const auto& [ns, table] : doc.as_object()) {
    if (!valid_namespace(std::string(ns)) || !table.is_object()) {
      continue;
    }
    for (const auto& [key, value] : table.as_object()) {
      if (value.is_string()) {
        tables_[std::string(ns)][std::string(key)] = std::string(value.as_string());
      }
    }
  }
}

bool SettingsStore::valid_namespace(const std::string& ns) {
  return ns == "system" || ns == "secure" || ns == "global";
}

std::optional<std::string> SettingsStore::get(const std::string& ns, const std::string& key) const {
  std::lock_guard lock(mu_);
  auto table = tables_.find(ns);
  if (table == tables_.end()) {
    return std::nullopt;
  }
  auto it = table->second.find(key);
  return it == table->second.end() ? std::nullopt : std::optional<std::string>(it->second);
}

void SettingsStore::put(const std::string& ns, const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  tables_[ns][key] = value;
  save();
}

bool SettingsStore::remove(const std::string& ns, const std::string& key) {
  std::lock_guard lock(mu_);
  const bool removed = tables_[ns].erase(key) > 0;
  save();
  return removed;
}

std::map<std::string, std::string> SettingsStore::list(const std::string& ns) const {
  std::lock_guard lock(mu_);
  auto table = tables_.find(ns);
  return table == tables_.end() ? std::map<std::string, std::string>{} : table->second;
}

void SettingsStore::save() const {
  boost::json::object doc;
  for (const auto& [ns, table] : tables_) {
    boost::json::object t;
    for (const auto& [key, value] : table) {
      t[key] = value;
    }
    doc[ns] = std::move(t);
  }
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  const auto tmp = std::filesystem::path(file_.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << boost::json::serialize(doc);
  }
  std::filesystem::rename(tmp, file_, ec);
}

namespace {

int cmd_settings(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  SettingsStore& store = ctx.shell.settings();
  // "--user N" may appear anywhere; the simulator has one user.
  std::vector<std::string> args;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == "--user") {
      ++i;
    } else {
      args.push_back(argv[i]);
    }
  }
  const std::string verb = args.size() > 0 ? args[0] : "";
  const std::string ns = args.size() > 1 ? args[1] : "";
  const std::vector<std::string> rest(args.begin() + std::min<size_t>(args.size(), 2), args.end());
  if (verb.empty() || (!SettingsStore::valid_namespace(ns) && verb != "help")) {
    ctx.err("Invalid namespace '" + ns +
            "'\nusage:  settings [--user NUM] get|put|delete|list "
            "system|secure|global [KEY] [VALUE]\n");
    return 1;
  }
  if (verb == "get" && rest.size() == 1) {
    ctx.out(store.get(ns, rest[0]).value_or("null") + "\n");
    return 0;
  }
  if (verb == "put" && rest.size() >= 2) {
    store.put(ns, rest[0], rest[1]);
    return 0;
  }
  if (verb == "delete" && rest.size() == 1) {
    ctx.out(store.remove(ns, rest[0]) ? "Deleted 1 rows\n" : "Deleted 0 rows\n");
    return 0;
  }
  if (verb == "list") {
    std::string text;
    for (const auto& [key, value] : store.list(ns)) {
      text += key + "=" + value + "\n";
    }
    ctx.out(text);
    return 0;
  }
  ctx.err("usage:  settings [--user NUM] get|put|delete|list system|secure|global [KEY] [VALUE]\n");
  return 1;
}

}  // namespace

void register_settings_commands(ShellCommands& commands) {
  commands.add("settings", cmd_settings);
}

}  // namespace cp::devicesim
