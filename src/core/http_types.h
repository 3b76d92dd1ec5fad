#pragma once
// Request/response types shared by the server, the router, the gateway and the handlers.
// Handlers are plain synchronous functions of a RequestContext returning a Response; the server
// owns all I/O and runs handlers on a worker pool so blocking work never stalls the I/O threads.
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/identity.h"
#include "core/problem.h"

namespace cp::http {

struct WsHandler;
struct SpooledBody;
namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;
using Method = bhttp::verb;

struct RequestContext {
  Request& request;
  std::string request_id;
  std::string traceparent;
  std::string client_ip;
  std::string route;  // the matched pattern, e.g. /api/v1/users/{id} (for metrics and logs)
  std::map<std::string, std::string, std::less<>> path_params;
  std::optional<Identity> identity;
  mutable std::optional<boost::json::object> parsed_body;  // filled by json_body()
  // Set by accept_websocket(): the server upgrades the connection and drives this handler.
  mutable std::shared_ptr<struct WsHandler> websocket;
  // Set instead of the request body when the server streamed a raw upload to disk (see
  // ServerOptions::upload_prefixes); handlers of upload routes read it from here.
  std::shared_ptr<const SpooledBody> upload;

  std::string_view target_path() const;  // path without the query string
  const std::string& param(std::string_view name) const;
  std::optional<std::string> query(std::string_view name) const;
  // An integer query parameter in [min, max], `def` when absent; 400 naming it otherwise.
  int64_t query_int(std::string_view name, int64_t def, int64_t min, int64_t max) const;
  std::optional<std::string> header(std::string_view name) const;
  // The caller, or 401 when the request is anonymous.
  const Identity& caller() const;
  // 403 unless the caller holds the permission.
  const Identity& require(std::string_view permission) const;
};

using Handler = std::function<Response(RequestContext&)>;

Response json_response(Status status, const boost::json::value& body);
Response text_response(Status status, std::string body, std::string_view content_type);
Response no_content();
Response problem_response(const ApiError& error, const std::string& request_id,
                          const std::string& instance);

// True for a WebSocket upgrade request (Connection: upgrade + Upgrade: websocket).
bool is_upgrade_request(const Request& req);

// Parses the request body as a JSON object: 415 without a JSON content type, 400 when malformed.
boost::json::object json_body(const RequestContext& ctx);

}  // namespace cp::http
