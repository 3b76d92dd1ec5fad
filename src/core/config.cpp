#include "core/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "core/secret_mask.h"

namespace cp {

Config::Config(const Config& other) {
  std::lock_guard lock(other.mu_);
  values_ = other.values_;
  env_ = other.env_;
}

Config& Config::operator=(const Config& other) {
  if (this != &other) {
    std::scoped_lock lock(mu_, other.mu_);
    values_ = other.values_;
    env_ = other.env_;
  }
  return *this;
}

namespace {
void flatten(const YAML::Node& node, const std::string& prefix, Config& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      auto key = kv.first.as<std::string>();
      flatten(kv.second, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (node.IsSequence()) {
    std::string joined;
    for (const auto& item : node) {
      if (!joined.empty()) {
        joined += ",";
      }
      joined += item.as<std::string>();
    }
    out.set(prefix, joined);
  } else if (node.IsScalar()) {
    out.set(prefix, node.as<std::string>());
  }
}

}  // namespace

Config Config::load(const std::string& yaml_path, char** envp) {
  Config config;
  if (!yaml_path.empty()) {
    try {
      flatten(YAML::LoadFile(yaml_path), "", config);
    } catch (const YAML::Exception& e) {
      throw std::runtime_error("config file " + yaml_path + ": " + e.what());
    }
  }
  for (char** env = envp; env && *env; ++env) {
    std::string entry(*env);
    auto eq = entry.find('=');
    if (eq == std::string::npos || entry.rfind("CLOUDPHONE_", 0) != 0) {
      continue;
    }
    constexpr size_t kPrefix = sizeof("CLOUDPHONE_") - 1;
    config.env_[entry.substr(kPrefix, eq - kPrefix)] = entry.substr(eq + 1);
  }
  return config;
}

std::string Config::env_form(const std::string& key) {
  std::string name = key;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
    return c == '.' || c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  return name;
}

std::string Config::key_from_env(const std::string& env_name) {
  std::string key = env_name.substr(std::string("CLOUDPHONE_").size());
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) {
    return c == '_' ? '.' : static_cast<char>(std::tolower(c));
  });
  return key;
}

void Config::set(const std::string& key, std::string value) {
  std::lock_guard lock(mu_);
  values_[key] = std::move(value);
  env_.erase(env_form(key));  // an explicit set() wins over the environment
}

void Config::set_default(const std::string& key, std::string value) {
  std::lock_guard lock(mu_);
  values_.try_emplace(key, std::move(value));  // get() still prefers the environment
}

bool Config::has(const std::string& key) const {
  std::lock_guard lock(mu_);
  return values_.count(key) > 0 || env_.count(env_form(key)) > 0;
}

namespace {
// Every key the program has looked up, process-wide: lets masked() list a CLOUDPHONE_* variable
// under the key the code reads ("auth.jwt_secret") rather than a guess from its spelling
// ("auth.jwt.secret"), also for keys that have no default or file value.
std::mutex& read_keys_mu() {
  static std::mutex mu;
  return mu;
}
std::set<std::string>& read_keys() {
  static std::set<std::string> keys;
  return keys;
}
void note_read_key(const std::string& key) {
  std::lock_guard lock(read_keys_mu());
  read_keys().insert(key);
}
}  // namespace

std::string Config::get(const std::string& key, const std::string& def) const {
  note_read_key(key);
  std::lock_guard lock(mu_);
  if (auto env = env_.find(env_form(key)); env != env_.end()) {
    return env->second;
  }
  auto it = values_.find(key);
  return it == values_.end() ? def : it->second;
}

int64_t Config::get_int(const std::string& key, int64_t def) const {
  auto v = get(key);
  if (v.empty()) {
    return def;
  }
  try {
    return std::stoll(v);
  } catch (const std::exception&) {
    throw std::runtime_error("config " + key + ": not an integer: " + v);
  }
}

bool Config::get_bool(const std::string& key, bool def) const {
  auto v = get(key);
  if (v.empty()) {
    return def;
  }
  return v == "1" || v == "true" || v == "yes" || v == "on";
}

std::chrono::milliseconds Config::get_ms(const std::string& key,
                                         std::chrono::milliseconds def) const {
  return std::chrono::milliseconds(get_int(key, def.count()));
}

std::vector<std::string> Config::get_list(const std::string& key) const {
  std::vector<std::string> out;
  auto v = get(key);
  size_t start = 0;
  while (start <= v.size() && !v.empty()) {
    auto comma = v.find(',', start);
    auto item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) {
      out.push_back(item);
    }
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

std::map<std::string, std::string> Config::masked() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::string> all = values_;
  for (const auto& [name, value] : env_) {
    // Listed under the known key it overrides, else under its dotted spelling.
    std::string key = key_from_env("CLOUDPHONE_" + name);
    {
      std::lock_guard read_lock(read_keys_mu());
      for (const auto& known : read_keys()) {
        if (env_form(known) == name) key = known;
      }
    }
    for (const auto& [known, unused] : values_) {
      if (env_form(known) == name) key = known;
    }
    all[key] = value;
  }
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : all) {
    out[k] = mask_config_value(k, v);  // core/secret_mask.h: by key name and in URLs
  }
  return out;
}

}  // namespace cp
