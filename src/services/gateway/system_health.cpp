#include "services/gateway/system_health.h"

#include <algorithm>
#include <chrono>

#include "core/ids.h"
#include "core/secret_mask.h"

namespace cp::gateway {

using http::Schema;

InstanceHealth check_instance(http::HttpClient& client, const std::string& url) {
  InstanceHealth h;
  h.url = mask_credentials_in_value(url);
  const auto start = std::chrono::steady_clock::now();
  try {
    http::Request req{http::bhttp::verb::get, "/ready", 11};
    auto res = client.send(http::parse_endpoint(url), std::move(req));
    h.status = static_cast<int>(res.result_int());
    h.ready = h.status == 200;
    if (!h.ready) h.error = "HTTP " + std::to_string(h.status);
  } catch (const std::exception& e) {
    h.error = e.what();
  }
  h.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return h;
}

namespace {
boost::json::object component(const std::string& name, const char* kind, const char* location,
                              boost::json::value ready, boost::json::array instances = {}) {
  return {{"name", name},
          {"kind", kind},
          {"location", location},
          {"ready", std::move(ready)},
          {"instances", std::move(instances)}};
}
}  // namespace

boost::json::object system_health(const std::vector<std::string>& services,
                                  const std::vector<std::pair<std::string, bool>>& local,
                                  const services::ServiceClients& clients, const Config& config,
                                  http::HttpClient& client, bool embedded_db) {
  auto local_ready = [&](const std::string& name) -> std::optional<bool> {
    auto it =
        std::find_if(local.begin(), local.end(), [&](const auto& p) { return p.first == name; });
    return it == local.end() ? std::nullopt : std::optional<bool>(it->second);
  };
  boost::json::array components;
  bool ok = true;
  for (const auto& [name, ready] : local) {
    if (name != "database" && name != "redis" && name != "rabbitmq") continue;
    const bool embedded = name == "database" && embedded_db;
    components.push_back(component(name, "backend", embedded ? "in_process" : "remote", ready));
    ok = ok && ready;
  }
  for (const auto& name : services) {
    if (clients.is_local(name)) {
      const bool ready = local_ready(name).value_or(false);
      components.push_back(component(name, "service", "in_process", ready));
      ok = ok && ready;
    } else if (clients.knows(name)) {
      boost::json::array instances;
      bool all = true;
      for (const auto& url : config.get_list("services." + name + ".urls")) {
        auto h = check_instance(client, url);
        all = all && h.ready;
        instances.push_back({{"url", h.url},
                             {"ready", h.ready},
                             {"status", h.status},
                             {"latency_ms", h.latency_ms},
                             {"error", h.error}});
      }
      all = all && !instances.empty();
      components.push_back(component(name, "service", "remote", all, std::move(instances)));
      ok = ok && all;
    } else {
      components.push_back(component(name, "service", "not_deployed", nullptr));
    }
  }
  return {{"ok", ok}, {"checked_at", to_rfc3339(now_ms())}, {"components", std::move(components)}};
}

Schema system_health_schema() {
  auto instance = Schema::record({{"url", Schema::string()},
                                  {"ready", Schema::boolean()},
                                  {"status", Schema::integer().describe("0: no answer")},
                                  {"latency_ms", Schema::number()},
                                  {"error", Schema::string()}});
  auto comp = Schema::record(
      {{"name", Schema::string()},
       {"kind", Schema::string().one_of({"service", "backend"})},
       {"location", Schema::string().one_of({"in_process", "remote", "not_deployed"})},
       {"ready", Schema::boolean().nullable().describe("null when not deployed")},
       {"instances", Schema::array(std::move(instance), 1000)
                         .describe("Remote services: each configured instance's /ready")}});
  return Schema::record({{"ok", Schema::boolean().describe("Everything deployed is ready")},
                         {"checked_at", Schema::string().format("date-time")},
                         {"components", Schema::array(comp.named("HealthComponent"), 1000)}})
      .named("SystemHealth");
}

}  // namespace cp::gateway
