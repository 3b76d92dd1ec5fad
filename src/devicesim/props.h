#pragma once
// System properties of the simulated device: what `getprop`/`setprop` see. Follows Android's
// rules where they matter to clients: `ro.*` can be set once and is read-only afterwards,
// `persist.*` survives restarts (saved in <state_dir>/props.json).
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "devicesim/device.h"

namespace cp::devicesim {

// The serial the device reports when DeviceConfig::serial is empty.
std::string default_serial(const DeviceConfig& config);

class DeviceProperties {
 public:
  explicit DeviceProperties(const DeviceConfig& config);

  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  // False when Android would refuse: read-only property already set, invalid name, or a value
  // too long for a non-ro property (PROP_VALUE_MAX = 92 bytes including the terminator).
  bool set(const std::string& name, const std::string& value);
  // Sorted by name, as `getprop` prints them.
  std::map<std::string, std::string> all() const;

 private:
  void load_persisted();
  void save_persisted() const;  // caller holds mu_

  std::filesystem::path file_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> values_;
};

}  // namespace cp::devicesim
