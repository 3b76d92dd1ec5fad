#pragma once
// How one service calls another (and how the gateway reaches every service): in-process when
// the target runs in this process — a direct call into its router — and over HTTP with timeout,
// round-robin and circuit breaker when it does not. Both paths return the same Response, with
// errors as problem+json, and carry the caller's identity (as a value, or signed in a header).
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/identity_codec.h"
#include "core/pipeline.h"
#include "core/remote_service.h"
#include "core/router.h"

namespace cp::services {

class ServiceClients {
 public:
  explicit ServiceClients(std::string internal_secret) : codec_(std::move(internal_secret)) {}

  void add_local(const std::string& service, std::shared_ptr<const http::Router> router);
  void add_remote(const std::string& service, std::vector<std::string> urls,
                  http::RemoteService::Options options);
  bool is_local(const std::string& service) const;
  bool knows(const std::string& service) const;

  // Forwards ctx's request to the service (gateway path): path and body unchanged.
  http::Response forward(const std::string& service, http::RequestContext& ctx) const;

  // Service-to-service call with a JSON body; `as` is the identity the callee sees (the
  // original caller's, or an internal identity for background work).
  http::Response call(const std::string& service, http::Method method, const std::string& target,
                      const std::optional<boost::json::value>& body, const http::Identity& as,
                      const std::string& request_id = {}) const;

  // Service-to-service call whose body is a spooled file (e.g. an APK from the object store),
  // streamed over HTTP or handed over in-process as RequestContext::upload.
  http::Response call_upload(const std::string& service, http::Method method,
                             const std::string& target, const std::string& content_type,
                             std::shared_ptr<const http::SpooledBody> upload,
                             const http::Identity& as, const std::string& request_id = {}) const;

  const http::IdentityCodec& codec() const { return codec_; }

 private:
  http::Response dispatch_local(const http::Router& router, http::RequestContext& ctx) const;
  http::IdentityCodec codec_;
  std::map<std::string, std::shared_ptr<const http::Router>> local_;
  std::map<std::string, std::unique_ptr<http::RemoteService>> remote_;
};

// The identity background jobs use when a service calls another on its own behalf.
http::Identity internal_identity(const std::string& service);

}  // namespace cp::services
