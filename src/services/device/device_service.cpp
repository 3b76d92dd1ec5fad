#include "services/device/device_service.h"

#include "core/ids.h"
#include "cp_migrations/device.h"
#include "platform/migrations.h"
#include "runtime/adb_attached_runtime.h"
#include "runtime/docker_runtime.h"
#include "runtime/multi_node_runtime.h"
#include "runtime/process_runtime.h"
#include "services/device/routes.h"
#include "services/device/snapshots.h"
#include "services/device/store_batches.h"
#include "services/host/service_clients.h"

namespace cp::device {

void apply_device_migrations(db::Database& db) {
  db::apply_migrations(db, "device", cp_migrations_device(db.dialect()));
}

std::unique_ptr<runtime::DeviceRuntime> make_runtime(const Config& config) {
  auto kind = config.get("device.runtime", "process");
  if (kind == "process") {
    runtime::ProcessRuntimeOptions o;
    o.devicesim_bin = config.get("device.devicesim_bin",
                                 std::filesystem::read_symlink("/proc/self/exe").string());
    o.state_root = std::filesystem::path(config.get("data.dir", ".cloudphone")) / "devices";
    o.snapshot_root = std::filesystem::path(config.get("data.dir", ".cloudphone")) / "snapshots";
    o.listen_host = config.get("device.process.listen_host", o.listen_host);
    o.restart.max_restarts =
        static_cast<int>(config.get_int("device.process.max_restarts", o.restart.max_restarts));
    return std::make_unique<runtime::ProcessRuntime>(o);
  }
  if (kind == "adb") return std::make_unique<runtime::AdbAttachedRuntime>();
  if (kind == "docker") {
    runtime::DockerRuntimeOptions o;
    o.host = config.get("device.docker.host", o.host);
    o.profile = runtime::parse_docker_profile(config.get("device.docker.profile", "redroid"));
    o.image = config.get("device.docker.image", o.image);
    o.publish_ip = config.get("device.docker.publish_ip", o.publish_ip);
    o.adb_host = config.get("device.docker.adb_host", o.adb_host);
    o.network_mode = config.get("device.docker.network_mode", o.network_mode);
    // Several engines (device.docker.endpoints = "name=url,..."), else the one at
    // device.docker.host.
    auto infos = runtime::parse_endpoints(config.get_list("device.docker.endpoints"));
    if (infos.empty()) infos.push_back({"local", o.host, {}});
    std::vector<runtime::MultiNodeRuntime::Node> nodes;
    for (auto& info : infos) {
      auto prefix = "device.docker.node." + info.name + ".";
      info.capacity = {config.get_int(prefix + "max_devices", 0),
                       config.get_int(prefix + "cpu_cores", 0),
                       config.get_int(prefix + "memory_mb", 0)};
      auto node_options = o;
      node_options.host = info.endpoint;
      nodes.push_back({info, std::make_unique<runtime::DockerRuntime>(node_options)});
    }
    return std::make_unique<runtime::MultiNodeRuntime>(std::move(nodes));
  }
  throw std::invalid_argument("device.runtime must be process, adb or docker, not '" + kind + "'");
}

QuotaLookup quota_from_user_service(services::ServiceClients& clients) {
  return [&clients](const http::Identity& caller, const std::string& request_id) {
    auto res = clients.call("user", http::Method::get, "/api/v1/quotas/" + caller.user_id,
                            std::nullopt, caller, request_id);
    boost::system::error_code ec;
    auto body = boost::json::parse(res.body(), ec);
    if (res.result() != http::Status::ok || ec || !body.is_object()) {
      throw http::unavailable("cannot read your quota from the user service right now",
                              "quota_unavailable");
    }
    const auto& o = body.as_object();
    return QuotaLimits{http::get_int(o, "max_devices"), http::get_int(o, "max_cpu_cores"),
                       http::get_int(o, "max_memory_mb")};
  };
}

DeviceService::DeviceService(services::ServiceContext& ctx)
    : DeviceService(ctx.core_db, make_runtime(ctx.config), DeviceSettings::from_config(ctx.config),
                    quota_from_user_service(ctx.clients)) {}

DeviceService::DeviceService(db::Database& db, std::unique_ptr<runtime::DeviceRuntime> runtime,
                             DeviceSettings settings, QuotaLookup quota)
    : runtime_(std::move(runtime)),
      ctx_(db, *runtime_, std::move(settings), std::move(quota)),
      monitor_(ctx_) {
  apply_device_migrations(db);
}

DeviceService::~DeviceService() {
  stop();
}

void DeviceService::register_routes(http::Router& router) {
  add_device_routes(router, ctx_);
  add_operation_routes(router, ctx_);
  add_file_routes(router, ctx_);
  add_batch_routes(router, ctx_);
  add_template_routes(router, ctx_);
  add_snapshot_routes(router, ctx_);
  add_node_routes(router, ctx_);
}

void DeviceService::start() {
  if (started_) return;
  started_ = true;
  ctx_.jobs.start(ctx_.settings.workers);
  store::fail_pending_batch_items(ctx_.db, "interrupted by a restart of the device service",
                                  now_ms());
  ctx_.batch_jobs.start(ctx_.settings.batch_concurrency);
  monitor_.reconcile();
  reconcile_snapshots(ctx_);
  monitor_.start();
}

void DeviceService::stop() {
  if (!started_) return;
  started_ = false;
  monitor_.stop();
  ctx_.batch_jobs.stop();
  ctx_.jobs.stop();
}

bool DeviceService::ready() {
  return ctx_.db.ping();
}

}  // namespace cp::device
