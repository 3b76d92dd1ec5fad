#pragma once
// Android's Settings.System/Secure/Global tables for `settings get|put|delete|list`, with the
// defaults a fresh device has, saved in <state_dir>/settings.json.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "devicesim/device.h"

namespace cp::devicesim {

class SettingsStore {
 public:
  explicit SettingsStore(const DeviceConfig& config);
  static bool valid_namespace(const std::string& ns);
  std::optional<std::string> get(const std::string& ns, const std::string& key) const;
  void put(const std::string& ns, const std::string& key, const std::string& value);
  bool remove(const std::string& ns, const std::string& key);
  std::map<std::string, std::string> list(const std::string& ns) const;

 private:
  void save() const;  // caller holds mu_

  std::filesystem::path file_;
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::string>> tables_;
};

}  // namespace cp::devicesim
