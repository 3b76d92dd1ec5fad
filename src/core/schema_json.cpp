// Schema as published (OpenAPI) and as a strict check of the bodies we send. Requests are
// validated leniently (schema.cpp: unknown members ignored, clients may be newer); responses are
// checked strictly so the published description — and the web client's types generated from it —
// cannot silently fall behind the code.
#include <algorithm>

#include "core/schema.h"

namespace cp::http {

namespace json = boost::json;

json::object Schema::to_json(json::object* components) const {
  if (name_.empty() || components == nullptr) return body_json(components);
  if (!components->contains(name_)) {
    (*components)[name_] = json::object{};  // placeholder first: a self-reference stays finite
    (*components)[name_] = body_json(components);
  }
  json::object ref{{"$ref", "#/components/schemas/" + name_}};
  if (!nullable_) return ref;
  // OpenAPI 3.0 ignores siblings of $ref, so a nullable use wraps the reference.
  return {{"allOf", json::array{std::move(ref)}}, {"nullable", true}};
}

json::object Schema::body_json(json::object* components) const {
  json::object o;
  switch (kind_) {
    case Kind::string:
      o["type"] = "string";
      if (min_len_ > 0) o["minLength"] = min_len_;
      o["maxLength"] = max_len_;
      break;
    case Kind::integer:
      o["type"] = "integer";
      o["format"] = "int64";
      if (min_) o["minimum"] = *min_;
      if (max_) o["maximum"] = *max_;
      break;
    case Kind::number:
      o["type"] = "number";
      break;
    case Kind::boolean:
      o["type"] = "boolean";
      break;
    case Kind::array:
      o["type"] = "array";
      o["items"] = items_.front().to_json(components);
      o["maxItems"] = max_items_;
      break;
    case Kind::object: {
      o["type"] = "object";
      json::object props;
      for (const auto& [name, schema] : properties_) {
        props[name] = schema.to_json(components);
      }
      o["properties"] = std::move(props);
      if (!required_.empty()) {
        json::array req;
        for (const auto& r : required_) req.emplace_back(r);
        o["required"] = std::move(req);
      }
      break;
    }
    case Kind::any_object:
      o["type"] = "object";
      break;
    case Kind::any:
      break;
    case Kind::map:
      o["type"] = "object";
      o["additionalProperties"] = items_.front().to_json(components);
      break;
  }
  if (!format_.empty() && kind_ != Kind::integer) o["format"] = format_;
  if (!description_.empty()) o["description"] = description_;
  if (!enum_.empty()) {
    json::array e;
    for (const auto& v : enum_) e.emplace_back(v);
    o["enum"] = std::move(e);
  }
  if (example_) o["example"] = *example_;
  if (nullable_ && (name_.empty() || components == nullptr)) o["nullable"] = true;
  return o;
}

namespace {
std::string at(const std::string& path) {
  return path.empty() ? "body" : path;
}
std::string member(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}
}  // namespace

std::string Schema::mismatch(const json::value& v, const std::string& path) const {
  if (v.is_null()) {
    return nullable_ || kind_ == Kind::any ? "" : at(path) + ": null but not nullable";
  }
  switch (kind_) {
    case Kind::string:
      if (!v.is_string()) return at(path) + ": not a string";
      if (!enum_.empty() &&
          std::find(enum_.begin(), enum_.end(), std::string(v.as_string())) == enum_.end()) {
        return at(path) + ": \"" + std::string(v.as_string()) + "\" is not a documented value";
      }
      return "";
    case Kind::integer:
      return v.is_int64() || v.is_uint64() ? "" : at(path) + ": not an integer";
    case Kind::number:
      return v.is_number() ? "" : at(path) + ": not a number";
    case Kind::boolean:
      return v.is_bool() ? "" : at(path) + ": not a boolean";
    case Kind::array: {
      if (!v.is_array()) return at(path) + ": not an array";
      const auto& arr = v.as_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        auto m = items_.front().mismatch(arr[i], at(path) + "[" + std::to_string(i) + "]");
        if (!m.empty()) return m;
      }
      return "";
    }
    case Kind::object: {
      if (!v.is_object()) return at(path) + ": not an object";
      const auto& obj = v.as_object();
      for (const auto& name : required_) {
        if (!obj.contains(name)) return member(path, name) + ": documented as always present";
      }
      for (const auto& kv : obj) {
        auto it = std::find_if(properties_.begin(), properties_.end(),
                               [&](const auto& p) { return p.first == kv.key(); });
        if (it == properties_.end()) return member(path, kv.key()) + ": not documented";
        auto m = it->second.mismatch(kv.value(), member(path, kv.key()));
        if (!m.empty()) return m;
      }
      return "";
    }
    case Kind::any_object:
      return v.is_object() ? "" : at(path) + ": not an object";
    case Kind::any:
      return "";
    case Kind::map: {
      if (!v.is_object()) return at(path) + ": not an object";
      for (const auto& kv : v.as_object()) {
        auto m = items_.front().mismatch(kv.value(), member(path, kv.key()));
        if (!m.empty()) return m;
      }
      return "";
    }
  }
  return "";
}

}  // namespace cp::http
