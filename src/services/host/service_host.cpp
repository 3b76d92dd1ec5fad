#include "services/host/service_host.h"

#include <algorithm>

#include <csignal>
#include <map>

#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/openapi.h"
#include "platform/amqp_event_bus.h"
#include "platform/cache.h"
#include "platform/db.h"
#include "platform/event_bus.h"
#include "platform/in_process_event_bus.h"
#include "platform/migrations.h"
#include "platform/outbox.h"
#include "platform/redis_cache.h"

namespace cp::services {

uint16_t default_port(const std::string& service) {
  static const std::map<std::string, uint16_t> ports{
      {"gateway", 30000},   {"user", 30001},    {"device", 30002},       {"app", 30003},
      {"scheduler", 30004}, {"billing", 30005}, {"notification", 30006}, {"media", 30007}};
  auto it = ports.find(service);
  return it == ports.end() ? 0 : it->second;
}

struct ServiceHost::Impl {
  std::unique_ptr<db::Database> core_db;
  std::unique_ptr<db::Database> billing_db;
  std::unique_ptr<events::EventBus> bus;
  std::unique_ptr<events::OutboxRelay> relay;
  std::unique_ptr<events::OutboxRelay> billing_relay;
  std::unique_ptr<cache::Cache> cache;
  // Redis / RabbitMQ reachable (for /ready), by name.
  std::vector<std::pair<std::string, std::function<bool()>>> backend_checks;
  std::unique_ptr<ServiceClients> clients;
  std::unique_ptr<ServiceContext> context;
  std::vector<std::unique_ptr<Service>> services;
  std::map<std::string, std::shared_ptr<http::Router>> routers;
  std::vector<std::unique_ptr<http::HttpServer>> servers;
  uint16_t gateway_port = 0;
  bool started = false;
};

ServiceHost::ServiceHost(Config config)
    : config_(std::move(config)), impl_(std::make_unique<Impl>()) {}

ServiceHost::~ServiceHost() {
  stop();
}

ServiceContext& ServiceHost::open_backends() {
  auto& s = *impl_;
  const int pool = static_cast<int>(config_.get_int("db.pool_size", 20));
  s.core_db = db::open_database(config_.get("db.core_url"), pool);
  s.billing_db = db::open_database(config_.get("db.billing_url"), pool);
  db::apply_platform_migrations(*s.core_db);
  db::apply_platform_migrations(*s.billing_db);
  open_cache_and_bus();
  s.relay = std::make_unique<events::OutboxRelay>(*s.core_db, *s.bus);
  s.billing_relay = std::make_unique<events::OutboxRelay>(*s.billing_db, *s.bus);
  s.clients = std::make_unique<ServiceClients>(config_.get("auth.internal_secret"));
  s.context = std::make_unique<ServiceContext>(
      ServiceContext{config_, *s.core_db, *s.billing_db, *s.bus, *s.relay, *s.cache, *s.clients});
  log_event(spdlog::level::info, "host", "backends open",
            {{"core_db", db::dialect_name(s.core_db->dialect())},
             {"billing_db", db::dialect_name(s.billing_db->dialect())},
             {"bus", config_.get("amqp.url").empty() ? "in-process" : "rabbitmq"},
             {"cache", config_.get("redis.url").empty() ? "in-process" : "redis"}});
  return *s.context;
}

// Redis and RabbitMQ when configured (`serve` in a deployment), else the in-process ones
// (`cloudphone up`). A configured backend that cannot be reached fails the start.
void ServiceHost::open_cache_and_bus() {
  auto& s = *impl_;
  if (auto url = config_.get("redis.url"); !url.empty()) {
    redis::RedisOptions o;
    o.url = url;
    o.pool_size = static_cast<size_t>(config_.get_int("redis.pool_size", 16));
    o.connect_timeout = config_.get_ms("redis.connect_timeout_ms", o.connect_timeout);
    o.command_timeout = config_.get_ms("redis.timeout_ms", o.command_timeout);
    auto client = std::make_shared<redis::RedisClient>(o);
    s.cache = std::make_unique<cache::RedisCache>(client, config_.get("redis.prefix", "cp:"));
    s.backend_checks.emplace_back("redis", [client] { return client->ping(); });
  } else {
    s.cache = std::make_unique<cache::MemoryCache>();
  }
  if (auto url = config_.get("amqp.url"); !url.empty()) {
    events::AmqpEventBusOptions o;
    o.url = url;
    o.exchange = config_.get("amqp.exchange", o.exchange);
    o.max_attempts = static_cast<int>(config_.get_int("amqp.max_attempts", o.max_attempts));
    o.prefetch = static_cast<uint16_t>(config_.get_int("amqp.prefetch", o.prefetch));
    o.first_retry_delay = config_.get_ms("amqp.retry_delay_ms", o.first_retry_delay);
    o.timeout = config_.get_ms("amqp.timeout_ms", o.timeout);
    auto bus = std::make_unique<events::AmqpEventBus>(o);
    s.backend_checks.emplace_back("rabbitmq", [raw = bus.get()] { return raw->ping(); });
    s.bus = std::move(bus);
  } else {
    s.bus = std::make_unique<events::InProcessEventBus>();
  }
}

void ServiceHost::add(std::unique_ptr<Service> service) {
  auto router = std::make_shared<http::Router>();
  service->register_routes(*router);
  impl_->clients->add_local(service->name(), router);
  impl_->routers[service->name()] = router;
  impl_->services.push_back(std::move(service));
}

void ServiceHost::add_remote_services(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (impl_->clients->knows(name)) continue;
    auto urls = config_.get_list("services." + name + ".urls");
    if (urls.empty()) continue;
    http::RemoteService::Options options;
    options.timeout = config_.get_ms("services.timeout_ms", std::chrono::milliseconds(3000));
    options.breaker.reset_after =
        config_.get_ms("services.breaker.reset_ms", std::chrono::milliseconds(30'000));
    options.breaker.window =
        config_.get_ms("services.breaker.window_ms", std::chrono::milliseconds(10'000));
    options.breaker.min_calls =
        static_cast<size_t>(config_.get_int("services.breaker.min_calls", 5));
    options.health_interval =
        config_.get_ms("services.health_interval_ms", std::chrono::milliseconds(2000));
    impl_->clients->add_remote(name, urls, options);
    log_event(spdlog::level::info, "host", "remote service",
              {{"service", name}, {"instances", urls.size()}});
  }
}

bool ServiceHost::ready() const {
  const auto parts = readiness();
  return std::all_of(parts.begin(), parts.end(), [](const auto& p) { return p.second; });
}

std::vector<std::pair<std::string, bool>> ServiceHost::readiness() const {
  auto& s = *impl_;
  std::vector<std::pair<std::string, bool>> out;
  out.emplace_back("database", s.core_db && s.core_db->ping() && s.billing_db->ping());
  for (const auto& [name, check] : s.backend_checks) out.emplace_back(name, check());
  for (const auto& svc : s.services) out.emplace_back(svc->name(), svc->ready());
  return out;
}

ServiceContext& ServiceHost::context() {
  return *impl_->context;
}

void ServiceHost::start() {
  impl_->relay->start();
  impl_->billing_relay->start();
  for (auto& svc : impl_->services) svc->start();
  impl_->started = true;
}

uint16_t ServiceHost::listen(const std::string& host, uint16_t port,
                             std::shared_ptr<const http::Pipeline> pipeline) {
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.io_threads = static_cast<size_t>(config_.get_int("http.io_threads", 0));
  options.worker_threads = static_cast<size_t>(config_.get_int("http.worker_threads", 16));
  options.inline_handlers = config_.get_bool("http.inline_handlers", true);
  options.body_limit = static_cast<size_t>(config_.get_int("http.body_limit", 1 << 20));
  options.upload_body_limit =
      static_cast<size_t>(config_.get_int("http.upload_body_limit", 500LL << 20));
  options.upload_prefixes = {"/api/v1/apps", "/api/v1/devices/"};
  options.spool_dir = config_.get("http.spool_dir", "");
  options.read_timeout = config_.get_ms("http.read_timeout_ms", std::chrono::milliseconds(30'000));
  options.idle_timeout = config_.get_ms("http.idle_timeout_ms", std::chrono::milliseconds(60'000));
  auto server = std::make_unique<http::HttpServer>(options, std::move(pipeline));
  uint16_t bound = server->start();
  impl_->servers.push_back(std::move(server));
  impl_->started = true;
  return bound;
}

namespace {
http::Middleware identity_from_gateway(const http::IdentityCodec& codec) {
  return [&codec](http::RequestContext& ctx, const http::Next& next) {
    if (auto header = ctx.header(http::kIdentityHeader)) {
      ctx.identity = codec.decode(*header, now_ms() / 1000);
      if (!ctx.identity) throw http::unauthorized("invalid internal identity", "identity_invalid");
    }
    return next(ctx);
  };
}
}  // namespace

std::shared_ptr<http::Pipeline> ServiceHost::service_pipeline(const std::string& service) {
  auto router = impl_->routers.at(service);
  auto pipeline = std::make_shared<http::Pipeline>(service);
  pipeline->use(http::request_id_middleware());
  pipeline->use(http::access_log_middleware(service));
  pipeline->use(http::error_middleware());
  pipeline->use(identity_from_gateway(impl_->clients->codec()));
  auto routes = http::route_handler(router);
  pipeline->set_handler([this, routes, service](http::RequestContext& ctx) -> http::Response {
    auto path = ctx.target_path();
    if (path == "/health") return http::json_response(http::Status::ok, {{"status", "ok"}});
    if (path == "/ready") {
      bool ok = ready();
      return http::json_response(ok ? http::Status::ok : http::Status::service_unavailable,
                                 {{"status", ok ? "ready" : "not_ready"}});
    }
    if (path == "/metrics") {
      return http::text_response(http::Status::ok, metrics::Registry::global().render(),
                                 "text/plain; version=0.0.4");
    }
    if (path == "/openapi.json") return http::json_response(http::Status::ok, openapi());
    return routes(ctx);
  });
  return pipeline;
}

boost::json::object ServiceHost::openapi() const {
  std::vector<const http::Router*> routers;
  for (const auto& [name, router] : impl_->routers) routers.push_back(router.get());
  return http::openapi_document("cloudphone API", CP_VERSION_STRING, routers);
}

void ServiceHost::stop() {
  auto& s = *impl_;
  if (!s.started) return;
  s.started = false;
  for (auto& server : s.servers) server->stop();
  for (auto it = s.services.rbegin(); it != s.services.rend(); ++it) (*it)->stop();
  s.relay->stop();
  s.billing_relay->stop();
}

namespace {
sigset_t shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void ServiceHost::block_shutdown_signals() {
  auto set = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int ServiceHost::wait_for_shutdown_signal() {
  auto set = shutdown_signals();
  int sig = 0;
  sigwait(&set, &sig);
  log_event(spdlog::level::info, "host", "shutting down", {{"signal", sig}});
  return sig;
}

}  // namespace cp::services
