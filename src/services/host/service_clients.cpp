#include "services/host/service_clients.h"

#include <boost/json/serialize.hpp>

#include "core/ids.h"

namespace cp::services {

using namespace cp::http;

Identity internal_identity(const std::string& service) {
  Identity id;
  id.user_id = "svc_" + service;
  id.roles = {"service"};
  id.permissions = {"*"};
  id.auth_method = "internal";
  return id;
}

void ServiceClients::add_local(const std::string& service, std::shared_ptr<const Router> router) {
  local_[service] = std::move(router);
}

void ServiceClients::add_remote(const std::string& service, std::vector<std::string> urls,
                                RemoteService::Options options) {
  remote_[service] = std::make_unique<RemoteService>(service, std::move(urls), options);
}

bool ServiceClients::is_local(const std::string& service) const {
  return local_.count(service) > 0;
}

bool ServiceClients::knows(const std::string& service) const {
  return local_.count(service) > 0 || remote_.count(service) > 0;
}

Response ServiceClients::dispatch_local(const Router& router, RequestContext& ctx) const {
  // Errors become problem responses here, exactly as a remote service would answer.
  try {
    return router.handle(ctx);
  } catch (const ApiError& e) {
    return problem_response(e, ctx.request_id, std::string(ctx.target_path()));
  }
}

Response ServiceClients::forward(const std::string& service, RequestContext& ctx) const {
  if (auto it = local_.find(service); it != local_.end()) {
    return dispatch_local(*it->second, ctx);
  }
  auto it = remote_.find(service);
  if (it == remote_.end()) {
    throw unavailable("service " + service + " is not configured");
  }
  Request req = ctx.request;
  req.erase(kIdentityHeader);
  if (ctx.identity) {
    req.set(kIdentityHeader, codec_.encode(*ctx.identity, now_ms() / 1000));
  }
  req.set("X-Request-ID", ctx.request_id);
  if (!ctx.traceparent.empty()) req.set("traceparent", ctx.traceparent);
  req.set("X-Forwarded-For", ctx.client_ip);
  return it->second->call(std::move(req), ctx.upload);
}

Response ServiceClients::call(const std::string& service, Method method, const std::string& target,
                              const std::optional<boost::json::value>& body, const Identity& as,
                              const std::string& request_id) const {
  Request req{method, target, 11};
  if (body) {
    req.set(bhttp::field::content_type, "application/json");
    req.body() = boost::json::serialize(*body);
  }
  req.prepare_payload();
  RequestContext ctx{req, request_id.empty() ? random_hex(16) : request_id, {}, "127.0.0.1", {}, {},
                     as};
  return forward(service, ctx);
}

Response ServiceClients::call_upload(const std::string& service, Method method,
                                     const std::string& target, const std::string& content_type,
                                     std::shared_ptr<const SpooledBody> upload, const Identity& as,
                                     const std::string& request_id) const {
  Request req{method, target, 11};
  req.set(bhttp::field::content_type, content_type);
  req.content_length(upload ? upload->size : 0);
  RequestContext ctx{req, request_id.empty() ? random_hex(16) : request_id, {}, "127.0.0.1", {}, {},
                     as};
  ctx.upload = std::move(upload);
  return forward(service, ctx);
}

}  // namespace cp::services
