#include "core/openapi.h"

#include <algorithm>
#include <cctype>

namespace cp::http {

namespace json = boost::json;

namespace {
std::string method_name(Method m) {
  std::string s(bhttp::to_string(m));
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

json::object problem_ref(const char* description) {
  return {
      {"description", description},
      {"content",
       {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}
}  // namespace

json::object openapi_document(const std::string& title, const std::string& version,
                              const std::vector<const Router*>& routers) {
  json::object paths;
  json::object schemas;  // named Schemas land here and are referenced by $ref
  for (const auto* router : routers) {
    for (const auto& route : router->routes()) {
      json::object op;
      if (!route->summary.empty()) op["summary"] = route->summary;
      if (!route->tag.empty()) op["tags"] = json::array{json::value(route->tag)};
      op["operationId"] = method_name(route->method) + route->pattern;
      json::array params;
      for (const auto& seg : split_path(route->pattern)) {
        if (seg.size() > 2 && seg.front() == '{') {
          params.push_back(json::object{{"name", seg.substr(1, seg.size() - 2)},
                                        {"in", "path"},
                                        {"required", true},
                                        {"schema", {{"type", "string"}}}});
        }
      }
      if (!params.empty()) op["parameters"] = std::move(params);
      if (route->request) {
        op["requestBody"] = json::object{
            {"required", true},
            {"content", {{"application/json", {{"schema", route->request->to_json(&schemas)}}}}}};
      }
      json::object responses;
      json::object ok{{"description", "Success"}};
      if (route->response) {
        ok["content"] =
            json::object{{"application/json", {{"schema", route->response->to_json(&schemas)}}}};
      } else if (!route->produces.empty()) {
        ok["content"] = json::object{
            {route->produces, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
      }
      if (route->success == Status::switching_protocols) ok["description"] = "WebSocket upgrade";
      responses[std::to_string(static_cast<int>(route->success))] = std::move(ok);
      if (route->request)
        responses["400"] = problem_ref("Invalid input (the problem names the field)");
      if (route->access != Access::public_route) {
        responses["401"] = problem_ref("Missing or invalid credentials");
        op["security"] = json::array{json::object{{"bearer", json::array{}}},
                                     json::object{{"apiKey", json::array{}}}};
      }
      if (route->access == Access::permission) {
        responses["403"] = problem_ref("Missing permission");
        op["x-permission"] = route->permission;
      }
      responses["429"] = problem_ref("Rate limited (see Retry-After)");
      op["responses"] = std::move(responses);
      auto& path_item = paths[route->pattern];
      if (!path_item.is_object()) path_item = json::object{};
      path_item.as_object()[method_name(route->method)] = std::move(op);
    }
  }
  schemas["Problem"] = json::object{
      {"type", "object"},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}}},
        {"code", {{"type", "string"}, {"description", "Stable machine-readable error code"}}},
        {"detail", {{"type", "string"}}},
        {"field", {{"type", "string"}, {"description", "The input at fault, when one is"}}},
        {"request_id", {{"type", "string"}}}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", title}, {"version", version}}},
          {"paths", std::move(paths)},
          {"components",
           {{"schemas", std::move(schemas)},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
              {"apiKey", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}}}}};
}

std::vector<std::string> documentation_problems(const std::vector<const Router*>& routers) {
  std::vector<std::string> problems;
  json::object published;  // component name → the shape first published under it
  for (const auto* router : routers) {
    for (const auto& r : router->routes()) {
      const auto where = std::string(bhttp::to_string(r->method)) + " " + r->pattern;
      const bool json_body = r->success != Status::no_content &&
                             r->success != Status::switching_protocols && r->produces.empty();
      if (json_body && !r->response) problems.push_back(where + ": no response schema");
      if (!json_body && r->response) problems.push_back(where + ": schema for a non-JSON body");
      if (!r->response) continue;
      json::object components;
      r->response->to_json(&components);
      for (const auto& [name, shape] : components) {
        auto [it, fresh] = published.emplace(name, shape);
        if (!fresh && it->value() != shape) {
          problems.push_back(std::string(name) + " names two shapes (" + where + ")");
        }
      }
    }
  }
  return problems;
}

std::string swagger_ui_html(const std::string& assets_prefix, const std::string& spec_url) {
  return R"(<!doctype html>
<html><head><meta charset="utf-8"><title>cloudphone API</title>
<link rel="stylesheet" href=")" +
         assets_prefix + R"(/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src=")" +
         assets_prefix +
         R"(/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: ")" +
         spec_url + R"(", dom_id: "#swagger-ui"});</script>
</body></html>)";
}

}  // namespace cp::http
