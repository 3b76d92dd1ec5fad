#pragma once
// GET /api/v1/system/health for the admin console: one entry per service and backend with
// where it runs and whether it is ready; a remote service is ready when every configured
// instance answers 200 on /ready.
#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/http_client.h"
#include "core/schema.h"
#include "services/host/service_clients.h"

namespace cp::gateway {

struct InstanceHealth {
  std::string url;  // credentials masked
  bool ready = false;
  int status = 0;  // HTTP status of /ready; 0 when there was no answer
  double latency_ms = 0;
  std::string error;
};

// Asks one instance's /ready (bounded by the client's timeouts; never throws).
InstanceHealth check_instance(http::HttpClient& client, const std::string& url);

boost::json::object system_health(const std::vector<std::string>& services,
                                  const std::vector<std::pair<std::string, bool>>& local,
                                  const services::ServiceClients& clients, const Config& config,
                                  http::HttpClient& client, bool embedded_db);

http::Schema system_health_schema();

}  // namespace cp::gateway
