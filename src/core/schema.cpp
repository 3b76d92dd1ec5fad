#include "core/schema.h"

#include <algorithm>

#include "core/problem.h"

namespace cp::http {

namespace json = boost::json;

Schema Schema::string(size_t min_len, size_t max_len) {
  Schema s;
  s.kind_ = Kind::string;
  s.min_len_ = min_len;
  s.max_len_ = max_len;
  return s;
}
Schema Schema::integer(std::optional<int64_t> min, std::optional<int64_t> max) {
  Schema s;
  s.kind_ = Kind::integer;
  s.min_ = min;
  s.max_ = max;
  return s;
}
Schema Schema::number() {
  Schema s;
  s.kind_ = Kind::number;
  return s;
}
Schema Schema::boolean() {
  Schema s;
  s.kind_ = Kind::boolean;
  return s;
}
Schema Schema::array(Schema items, size_t max_items) {
  Schema s;
  s.kind_ = Kind::array;
  s.items_.push_back(std::move(items));
  s.max_items_ = max_items;
  return s;
}
Schema Schema::object(std::vector<std::pair<std::string, Schema>> properties,
                      std::vector<std::string> required) {
  Schema s;
  s.kind_ = Kind::object;
  s.properties_ = std::move(properties);
  s.required_ = std::move(required);
  return s;
}
Schema Schema::any_object() {
  return Schema{};
}
Schema Schema::any() {
  Schema s;
  s.kind_ = Kind::any;
  return s;
}
Schema Schema::record(std::vector<std::pair<std::string, Schema>> properties,
                      std::vector<std::string> optional) {
  std::vector<std::string> required;
  for (const auto& [name, _] : properties) {
    if (std::find(optional.begin(), optional.end(), name) == optional.end()) {
      required.push_back(name);
    }
  }
  return object(std::move(properties), std::move(required));
}
Schema Schema::page(Schema item) {
  return record({{"items", array(std::move(item), 1000)},
                 {"next_cursor", string().nullable().describe(
                                     "Pass as ?cursor= for the next page; null on the last")}});
}
Schema Schema::map(Schema values) {
  Schema s;
  s.kind_ = Kind::map;
  s.items_.push_back(std::move(values));
  return s;
}
Schema& Schema::named(std::string name) {
  name_ = std::move(name);
  return *this;
}

Schema& Schema::describe(std::string text) {
  description_ = std::move(text);
  return *this;
}
Schema& Schema::format(std::string fmt) {
  format_ = std::move(fmt);
  return *this;
}
Schema& Schema::one_of(std::vector<std::string> values) {
  enum_ = std::move(values);
  return *this;
}
Schema& Schema::example(json::value v) {
  example_ = std::move(v);
  return *this;
}
Schema& Schema::nullable() {
  nullable_ = true;
  return *this;
}

namespace {
std::string join_path(const std::string& base, const std::string& name) {
  return base.empty() ? name : base + "." + name;
}

bool looks_like_email(const std::string& s) {
  auto at = s.find('@');
  return at != std::string::npos && at > 0 && at == s.rfind('@') &&
         s.find('.', at) != std::string::npos && s.back() != '.' &&
         s.find_first_of(" \t\r\n<>") == std::string::npos;
}

// Counts code points so limits mean characters, not bytes. Rejects invalid UTF-8 (overlong
// forms, UTF-16 surrogates, values above U+10FFFF): values built in code bypass the JSON parser's
// own check, and such strings must never reach the database or another service.
std::optional<size_t> utf8_length(const std::string& s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) {
      return std::nullopt;
    }
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      auto cont = static_cast<unsigned char>(s[i + k]);
      if ((cont & 0xC0) != 0x80) {
        return std::nullopt;
      }
      cp = (cp << 6) | (cont & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    i += len;
    ++n;
  }
  return n;
}
}  // namespace

void Schema::validate(const json::value& v, const std::string& path) const {
  const std::string field = path.empty() ? "body" : path;
  if (v.is_null()) {
    if (nullable_) {
      return;
    }
    throw bad_request(field, field + " must not be null");
  }
  switch (kind_) {
    case Kind::string: {
      if (!v.is_string()) {
        throw bad_request(field, field + " must be a string");
      }
      std::string s(v.as_string());
      auto len = utf8_length(s);
      if (!len) {
        throw bad_request(field, field + " is not valid UTF-8");
      }
      if (*len < min_len_) {
        throw bad_request(field,
                          field + " must be at least " + std::to_string(min_len_) + " characters");
      }
      if (*len > max_len_) {
        throw bad_request(field,
                          field + " must be at most " + std::to_string(max_len_) + " characters");
      }
      if (format_ == "email" && !looks_like_email(s)) {
        throw bad_request(field, field + " must be an email address");
      }
      if (!enum_.empty() && std::find(enum_.begin(), enum_.end(), s) == enum_.end()) {
        std::string allowed;
        for (const auto& e : enum_) {
          allowed += (allowed.empty() ? "" : ", ") + e;
        }
        throw bad_request(field, field + " must be one of: " + allowed);
      }
      return;
    }
    case Kind::integer: {
      if (!v.is_int64() && !v.is_uint64()) {
        throw bad_request(field, field + " must be an integer");
      }
      if (v.is_uint64() && v.as_uint64() > static_cast<uint64_t>(INT64_MAX)) {
        throw bad_request(field, field + " is too large");
      }
      int64_t n = v.is_int64() ? v.as_int64() : static_cast<int64_t>(v.as_uint64());
      if (min_ && n < *min_) {
        throw bad_request(field, field + " must be >= " + std::to_string(*min_));
      }
      if (max_ && n > *max_) {
        throw bad_request(field, field + " must be <= " + std::to_string(*max_));
      }
      return;
    }
    case Kind::number:
      if (!v.is_number()) {
        throw bad_request(field, field + " must be a number");
      }
      return;
    case Kind::boolean:
      if (!v.is_bool()) {
        throw bad_request(field, field + " must be true or false");
      }
      return;
    case Kind::array: {
      if (!v.is_array()) {
        throw bad_request(field, field + " must be an array");
      }
      const auto& arr = v.as_array();
      if (arr.size() > max_items_) {
        throw bad_request(field, field + " has more than " + std::to_string(max_items_) + " items");
      }
      for (size_t i = 0; i < arr.size(); ++i) {
        items_.front().validate(arr[i], field + "[" + std::to_string(i) + "]");
      }
      return;
    }
    case Kind::object: {
      if (!v.is_object()) {
        throw bad_request(field, field + " must be an object");
      }
      const auto& obj = v.as_object();
      for (const auto& name : required_) {
        // A required member that is null counts as missing unless its schema is nullable.
        auto it = obj.find(name);
        if (it == obj.end() || (it->value().is_null() && !property_is_nullable(name))) {
          throw bad_request(join_path(path, name), join_path(path, name) + " is required",
                            "missing_field");
        }
      }
      for (const auto& [name, schema] : properties_) {
        auto it = obj.find(name);
        if (it != obj.end()) {
          schema.validate(it->value(), join_path(path, name));
        }
      }
      return;
    }
    case Kind::any_object:
      if (!v.is_object()) {
        throw bad_request(field, field + " must be an object");
      }
      return;
    case Kind::any:
      return;
    case Kind::map:
      if (!v.is_object()) {
        throw bad_request(field, field + " must be an object");
      }
      for (const auto& kv : v.as_object()) {
        items_.front().validate(kv.value(), join_path(path, std::string(kv.key())));
      }
      return;
  }
}

bool Schema::property_is_nullable(const std::string& name) const {
  for (const auto& [prop, schema] : properties_) {
    if (prop == name) return schema.nullable_;
  }
  return false;
}

std::string get_string(const json::object& o, std::string_view key, std::string def) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : def;
}
std::optional<std::string> get_opt_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}
int64_t get_int(const json::object& o, std::string_view key, int64_t def) {
  return get_opt_int(o, key).value_or(def);
}
std::optional<int64_t> get_opt_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64()) return static_cast<int64_t>(it->value().as_uint64());
  return std::nullopt;
}
bool get_bool(const json::object& o, std::string_view key, bool def) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() ? it->value().as_bool() : def;
}
std::vector<std::string> get_strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  auto it = o.find(key);
  if (it != o.end() && it->value().is_array()) {
    for (const auto& v : it->value().as_array()) {
      if (v.is_string()) out.emplace_back(v.as_string());
    }
  }
  return out;
}

}  // namespace cp::http
