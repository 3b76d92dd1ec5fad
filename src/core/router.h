#pragma once
// Route table of one service: method + path pattern with {params} → handler, plus what the
// OpenAPI document and the middleware need to know about the route (permission, auth, DTOs).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http_types.h"
#include "core/schema.h"

namespace cp::http {

enum class Access {
  public_route,   // no caller needed (login, register, health)
  authenticated,  // any caller
  permission,     // caller must hold RouteSpec::permission
};

struct RouteSpec {
  Method method = Method::get;
  std::string pattern;  // "/api/v1/users/{id}"
  Access access = Access::authenticated;
  std::string permission;  // "user:read" when access == permission
  std::string summary;
  std::string tag;
  std::optional<Schema> request;   // validated before the handler runs
  std::optional<Schema> response;  // documentation of the success body
  Status success = Status::ok;     // switching_protocols for WebSocket upgrades
  Handler handler;
  std::string produces;  // media type of a non-JSON success body ("image/png"), for OpenAPI
};

struct RouteMatch {
  const RouteSpec* route = nullptr;
  std::map<std::string, std::string, std::less<>> params;
  bool path_matched = false;  // some route has this path (→ 405 rather than 404)
};

// Test builds run with CP_CHECK_RESPONSES=1: every JSON 2xx body is checked strictly against the
// route's response Schema (Schema::mismatch) and a mismatch, or JSON from a route that documents
// none, becomes a 500 naming the member — so /openapi.json cannot drift from what we send.
bool response_check_enabled();
void check_response(const RouteSpec& route, const Response& res);

class Router {
 public:
  void add(RouteSpec spec);
  RouteMatch match(Method method, std::string_view path) const;
  // Validates access and body, runs the handler. Errors propagate as ApiError.
  Response dispatch(const RouteSpec& route, RequestContext& ctx) const;
  // match + dispatch for ctx's request: 404/405 problems when no route fits; sets ctx.route
  // (the pattern, for metrics and logs) and ctx.path_params.
  Response handle(RequestContext& ctx) const;
  const std::vector<std::unique_ptr<RouteSpec>>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string text;
    bool is_param = false;
  };
  struct Entry {
    std::vector<Segment> segments;
    const RouteSpec* spec;
  };
  std::vector<std::unique_ptr<RouteSpec>> routes_;
  std::vector<Entry> entries_;
};

// Splits "/a/b/c" into {"a","b","c"}; percent-decodes each segment.
std::vector<std::string> split_path(std::string_view path);

}  // namespace cp::http
