#include "devicesim/props.h"

#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>

namespace cp::devicesim {
namespace {

constexpr size_t kPropValueMax = 92;  // Android's PROP_VALUE_MAX, terminator included

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Android accepts letters, digits and "_.-@:" in property names, no empty segments.
bool valid_name(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.back() == '.' || name.size() > 256) {
    return false;
  }
  char previous = 0;
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                    c == '-' || c == '@' || c == ':';
    if (!ok || (c == '.' && previous == '.')) {
      return false;
    }
    previous = c;
  }
  return true;
}

}  // namespace

std::string default_serial(const DeviceConfig& config) {
  return "cpsim-" + std::to_string(config.port);
}

DeviceProperties::DeviceProperties(const DeviceConfig& config)
    : file_(config.state_dir / "props.json") {
  const std::string serial = config.serial.empty() ? default_serial(config) : config.serial;
  const std::string release = config.android_version;
  const std::string sdk = std::to_string(config.sdk);
  values_ = {
      {"ro.product.model", config.model},
      {"ro.product.manufacturer", config.manufacturer},
      {"ro.product.brand", config.brand},
      {"ro.product.name", "cloudphone_sim"},
      {"ro.product.device", "cloudphone_sim"},
      {"ro.product.board", "simulator"},
      {"ro.product.cpu.abi", "x86_64"},
      {"ro.product.cpu.abilist", "x86_64,arm64-v8a"},
      {"ro.build.version.release", release},
      {"ro.build.version.sdk", sdk},
      {"ro.build.type", "userdebug"},
      {"ro.build.tags", "test-keys"},
      {"ro.build.id", "CPSIM"},
      {"ro.build.characteristics", "default"},
      {"ro.build.fingerprint",
       config.brand + "/cloudphone_sim/cloudphone_sim:" + release + "/CPSIM/1:userdebug/test-keys"},
      {"ro.serialno", serial},
      {"ro.boot.serialno", serial},
      {"ro.sf.lcd_density", std::to_string(config.dpi)},
      {"ro.debuggable", "1"},
      {"ro.secure", "0"},
      {"ro.cloudphone.simulator", "1"},
      {"sys.boot_completed", "1"},
      {"dev.bootcomplete", "1"},
      {"init.svc.adbd", "running"},
      {"service.adb.root", "0"},
      {"persist.sys.timezone", "UTC"},
      {"persist.sys.locale", "en-US"},
  };
  load_persisted();
}

std::optional<std::string> DeviceProperties::get(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = values_.find(name);
  if (it == values_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string DeviceProperties::get_or(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

bool DeviceProperties::set(const std::string& name, const std::string& value) {
  if (!valid_name(name)) {
    return false;
  }
  const bool read_only = starts_with(name, "ro.");
  if (!read_only && value.size() >= kPropValueMax) {
    return false;
  }
  std::lock_guard lock(mu_);
  if (read_only && values_.contains(name)) {
    return false;
  }
  values_[name] = value;
  if (starts_with(name, "persist.")) {
    save_persisted();
  }
  return true;
}

std::map<std::string, std::string> DeviceProperties::all() const {
  std::lock_guard lock(mu_);
  return values_;
}

void DeviceProperties::load_persisted() {
  std::ifstream in(file_);
  if (!in) {
    return;  // first start
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(text.str(), ec);
  if (ec || !doc.is_object()) {
    return;  // a damaged file is not worth refusing to boot over; defaults apply
  }
  for (const auto& [key, value] : doc.as_object()) {
    const std::string name(key);
    if (starts_with(name, "persist.") && value.is_string() && valid_name(name)) {
      values_[name] = std::string(value.as_string());
    }
  }
}

void DeviceProperties::save_persisted() const {
  boost::json::object doc;
  for (const auto& [name, value] : values_) {
    if (starts_with(name, "persist.")) {
      doc[name] = value;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  // Write then rename, so a crash never leaves half a file.
  const auto tmp = std::filesystem::path(file_.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << boost::json::serialize(doc);
  }
  std::filesystem::rename(tmp, file_, ec);
}

}  // namespace cp::devicesim
