#include "core/router.h"

#include <boost/json/parse.hpp>
#include <boost/url/decode_view.hpp>
#include <cstdlib>

namespace cp::http {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    auto end = path.find('/', i);
    auto seg = path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    try {
      boost::urls::decode_view decoded(seg);
      out.emplace_back(decoded.begin(), decoded.end());
    } catch (const std::exception&) {
      out.emplace_back(seg);  // invalid escapes stay literal and simply won't match
    }
    if (end == std::string_view::npos) {
      break;
    }
    i = end + 1;
  }
  return out;
}

void Router::add(RouteSpec spec) {
  auto owned = std::make_unique<RouteSpec>(std::move(spec));
  Entry entry{{}, owned.get()};
  std::string_view pattern = owned->pattern;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '/') {
      ++i;
      continue;
    }
    auto end = pattern.find('/', i);
    auto seg = pattern.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      entry.segments.push_back({std::string(seg.substr(1, seg.size() - 2)), true});
    } else {
      entry.segments.push_back({std::string(seg), false});
    }
    if (end == std::string_view::npos) {
      break;
    }
    i = end + 1;
  }
  entries_.push_back(std::move(entry));
  routes_.push_back(std::move(owned));
}

RouteMatch Router::match(Method method, std::string_view path) const {
  RouteMatch result;
  auto segments = split_path(path);
  // Literal segments beat parameters: /users/me wins over /users/{id}.
  int best_score = -1;
  for (const auto& entry : entries_) {
    if (entry.segments.size() != segments.size()) {
      continue;
    }
    int score = 0;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& seg = entry.segments[i];
      if (seg.is_param) {
        ok = !segments[i].empty();
      } else {
        ok = seg.text == segments[i];
        score += 1;
      }
    }
    if (!ok) {
      continue;
    }
    result.path_matched = true;
    if (entry.spec->method != method || score <= best_score) {
      continue;
    }
    best_score = score;
    result.route = entry.spec;
    result.params.clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (entry.segments[i].is_param) {
        result.params[entry.segments[i].text] = segments[i];
      }
    }
  }
  return result;
}

Response Router::dispatch(const RouteSpec& route, RequestContext& ctx) const {
  switch (route.access) {
    case Access::public_route:
      break;
    case Access::authenticated:
      ctx.caller();
      break;
    case Access::permission:
      ctx.require(route.permission);
      break;
  }
  if (route.request) {
    auto body = json_body(ctx);
    route.request->validate(body);
  }
  auto res = route.handler(ctx);
  if (response_check_enabled()) check_response(route, res);
  return res;
}

bool response_check_enabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("CP_CHECK_RESPONSES");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return enabled;
}

void check_response(const RouteSpec& route, const Response& res) {
  auto type = res[bhttp::field::content_type];
  if (res.result_int() / 100 != 2 || !type.starts_with("application/json")) return;
  const auto where = std::string(bhttp::to_string(route.method)) + " " + route.pattern;
  if (!route.response) {
    throw ApiError(Status::internal_server_error, "undocumented_response",
                   where + " returns JSON but documents no response schema");
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(res.body(), ec);
  auto problem = ec ? "body is not JSON" : route.response->mismatch(body);
  if (!problem.empty()) {
    throw ApiError(Status::internal_server_error, "response_schema_mismatch",
                   where + " response does not match its schema: " + problem);
  }
}

Response Router::handle(RequestContext& ctx) const {
  auto found = match(ctx.request.method(), ctx.target_path());
  if (!found.route) {
    if (found.path_matched) {
      throw ApiError(Status::method_not_allowed, "method_not_allowed",
                     "method not allowed on this resource");
    }
    throw not_found("no such resource", "route_not_found");
  }
  ctx.route = found.route->pattern;
  ctx.path_params = std::move(found.params);
  return dispatch(*found.route, ctx);
}

}  // namespace cp::http
