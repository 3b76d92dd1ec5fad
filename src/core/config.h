#pragma once
// Configuration: flat dotted keys ("db.core_url", "gateway.rate_limit.per_second").
// Sources, later wins: built-in defaults < YAML file (nested maps are flattened) < environment
// variables CLOUDPHONE_<KEY> with dots as underscores (CLOUDPHONE_DB_CORE_URL) < explicit set().
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cp {

class Config {
 public:
  Config() = default;
  Config(const Config& other);
  Config& operator=(const Config& other);

  // Loads the YAML file (if path is non-empty), then the environment.
  static Config load(const std::string& yaml_path, char** envp);

  void set(const std::string& key, std::string value);
  void set_default(const std::string& key, std::string value);  // only if absent
  bool has(const std::string& key) const;
  std::string get(const std::string& key, const std::string& def = "") const;
  int64_t get_int(const std::string& key, int64_t def) const;
  bool get_bool(const std::string& key, bool def) const;
  std::chrono::milliseconds get_ms(const std::string& key, std::chrono::milliseconds def) const;
  std::vector<std::string> get_list(const std::string& key) const;  // comma-separated
  // All keys with secrets masked, for the admin configuration view and start-up logs.
  std::map<std::string, std::string> masked() const;

  // CLOUDPHONE_DB_CORE_URL -> db.core.url: the name a variable is listed under in masked() when
  // no key it could mean is known. Lookups do not depend on it: get("db.core_url") finds
  // CLOUDPHONE_DB_CORE_URL because the key's environment form is DB_CORE_URL.
  static std::string key_from_env(const std::string& env_name);

 private:
  // "db.core_url" -> "DB_CORE_URL" (dots and dashes become underscores, upper case).
  static std::string env_form(const std::string& key);
  mutable std::mutex mu_;
  std::map<std::string, std::string> values_;  // defaults, YAML and set()
  // CLOUDPHONE_* variables by their name without the prefix. Underscores in a variable name are
  // ambiguous (separator or part of a key), so variables are matched to keys at lookup time.
  std::map<std::string, std::string> env_;
};

}  // namespace cp
