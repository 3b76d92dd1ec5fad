#pragma once
// A DTO is described once as a JSON Schema built with these helpers. The same description
// validates request bodies (first failing field → 400 problem naming it) and is published in
// /openapi.json. Handlers then read the already-validated fields.
#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cp::http {

class Schema {
 public:
  static Schema string(size_t min_len = 0, size_t max_len = 4096);
  static Schema integer(std::optional<int64_t> min = std::nullopt,
                        std::optional<int64_t> max = std::nullopt);
  static Schema number();
  static Schema boolean();
  static Schema array(Schema items, size_t max_items = 1000);
  // Properties in declaration order; `required` names must be among them.
  static Schema object(std::vector<std::pair<std::string, Schema>> properties,
                       std::vector<std::string> required = {});
  static Schema any_object();
  // Any JSON value (documents as `{}`; e.g. an event's payload that each event type defines).
  static Schema any();
  // Response objects: every property is always present unless listed in `optional`.
  static Schema record(std::vector<std::pair<std::string, Schema>> properties,
                       std::vector<std::string> optional = {});
  // One page of a cursor-paged list: {items: [item], next_cursor: string|null}.
  static Schema page(Schema item);
  // An object with arbitrary keys whose values all follow `values` (additionalProperties).
  static Schema map(Schema values);

  Schema& describe(std::string text);
  Schema& format(std::string fmt);  // "email", "date-time", "uri", "uuid" (email is checked)
  Schema& one_of(std::vector<std::string> values);
  Schema& example(boost::json::value v);
  Schema& nullable();
  // Published once under components/schemas/<name> and referenced from every use, so clients
  // generate one named type (web/shared: components['schemas']['Device']).
  Schema& named(std::string name);
  const std::string& name() const { return name_; }

  // Throws ApiError(400, field=path) at the first violation. Unknown object members are
  // ignored (clients may be newer than the server).
  void validate(const boost::json::value& v, const std::string& path = "") const;
  // The OpenAPI form. With `components`, named schemas are added there and referenced by $ref.
  boost::json::object to_json(boost::json::object* components = nullptr) const;
  // Strict check of a value we produce (a response body) against this description: types,
  // enumerations, null only where nullable, required members present and NO undocumented
  // members. Returns the first mismatch ("items[2].state: not one of …"), empty when it conforms.
  std::string mismatch(const boost::json::value& v, const std::string& path = "") const;

 private:
  bool property_is_nullable(const std::string& name) const;
  boost::json::object body_json(boost::json::object* components) const;
  enum class Kind { string, integer, number, boolean, array, object, any_object, any, map };
  Kind kind_ = Kind::any_object;
  size_t min_len_ = 0, max_len_ = 0, max_items_ = 0;
  std::optional<int64_t> min_, max_;
  std::string description_, format_;
  std::vector<std::string> enum_;
  std::vector<std::pair<std::string, Schema>> properties_;
  std::vector<std::string> required_;
  std::vector<Schema> items_;  // 0 or 1 element: array items or map values
  std::string name_;
  std::optional<boost::json::value> example_;
  bool nullable_ = false;
};

// Reading validated bodies.
std::string get_string(const boost::json::object& o, std::string_view key, std::string def = {});
std::optional<std::string> get_opt_string(const boost::json::object& o, std::string_view key);
int64_t get_int(const boost::json::object& o, std::string_view key, int64_t def = 0);
std::optional<int64_t> get_opt_int(const boost::json::object& o, std::string_view key);
bool get_bool(const boost::json::object& o, std::string_view key, bool def = false);
std::vector<std::string> get_strings(const boost::json::object& o, std::string_view key);

}  // namespace cp::http
