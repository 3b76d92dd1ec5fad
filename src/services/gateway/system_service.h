#pragma once
// The gateway's own API: GET /api/v1/system/health (each service's and backend's readiness:
// in-process ones checked directly, every remote instance's /ready over HTTP with its status and
// latency) and GET /api/v1/system/config, the running configuration for the admin
// console's System page — the explicit config keys and values of this process with every
// secret masked (core/secret_mask.h), where each service runs (in this process, remote
// instances, or not deployed), the backends in use and versions. A Service like the others, so
// the route is in /openapi.json with its response schema and permission-checked by the Router;
// the gateway process always runs it in-process.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/service.h"

namespace cp::gateway {

struct SystemInfo {
  std::string version;                // the binary's (CP_VERSION)
  std::string command;                // "up", "serve gateway user ..."
  std::vector<std::string> services;  // every service the binary knows
  // This process's readiness by component (ServiceHost::readiness); remote services are asked
  // over HTTP by GET /api/v1/system/health.
  std::function<std::vector<std::pair<std::string, bool>>()> local_readiness;
};

std::unique_ptr<services::Service> make_system_service(services::ServiceContext& ctx,
                                                       SystemInfo info);

}  // namespace cp::gateway
