#include "core/http_types.h"

#include <charconv>

#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace cp::http {

std::string_view RequestContext::target_path() const {
  std::string_view target = request.target();
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

const std::string& RequestContext::param(std::string_view name) const {
  auto it = path_params.find(name);
  if (it == path_params.end()) {
    throw ApiError(Status::internal_server_error, "internal", "route has no parameter");
  }
  return it->second;
}

std::optional<std::string> RequestContext::query(std::string_view name) const {
  auto parsed = boost::urls::parse_origin_form(request.target());
  if (!parsed) {
    return std::nullopt;
  }
  auto params = parsed->params();
  auto it = params.find(name);
  if (it == params.end()) {
    return std::nullopt;
  }
  return std::string((*it).value);
}

int64_t RequestContext::query_int(std::string_view name, int64_t def, int64_t min,
                                  int64_t max) const {
  auto text = query(name);
  if (!text) return def;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n < min || n > max) {
    throw bad_request(std::string(name), "must be an integer from " + std::to_string(min) + " to " +
                                             std::to_string(max));
  }
  return n;
}

std::optional<std::string> RequestContext::header(std::string_view name) const {
  auto it = request.find(name);
  if (it == request.end()) {
    return std::nullopt;
  }
  return std::string(it->value());
}

const Identity& RequestContext::caller() const {
  if (!identity) {
    throw unauthorized("authentication required");
  }
  return *identity;
}

const Identity& RequestContext::require(std::string_view permission) const {
  const auto& who = caller();
  if (!who.has_permission(permission)) {
    throw forbidden("missing permission " + std::string(permission), "permission_denied");
  }
  return who;
}

Response json_response(Status status, const boost::json::value& body) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, "application/json");
  res.body() = boost::json::serialize(body);
  res.prepare_payload();
  return res;
}

Response text_response(Status status, std::string body, std::string_view content_type) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response no_content() {
  Response res{Status::no_content, 11};
  res.prepare_payload();
  return res;
}

Response problem_response(const ApiError& error, const std::string& request_id,
                          const std::string& instance) {
  Response res{error.status(), 11};
  res.set(bhttp::field::content_type, "application/problem+json");
  res.body() = boost::json::serialize(problem_document(error, request_id, instance));
  res.prepare_payload();
  return res;
}

bool is_upgrade_request(const Request& req) {
  return boost::beast::websocket::is_upgrade(req);
}

boost::json::object json_body(const RequestContext& ctx) {
  if (ctx.parsed_body) {
    return *ctx.parsed_body;
  }
  auto ct = ctx.header("Content-Type").value_or("");
  if (ct.find("json") == std::string::npos) {
    throw ApiError(Status::unsupported_media_type, "unsupported_media_type",
                   "request body must be application/json", "Content-Type");
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(ctx.request.body(), ec);
  if (ec) {
    throw bad_request("body", "malformed JSON: " + ec.message(), "malformed_json");
  }
  if (!value.is_object()) {
    throw bad_request("body", "JSON body must be an object", "malformed_json");
  }
  ctx.parsed_body = std::move(value.as_object());
  return *ctx.parsed_body;
}

}  // namespace cp::http
