#include "services/device/templates.h"

#include "android/adb/adb_connection.h"
#include "core/ids.h"
#include "core/problem.h"
#include "services/device/events.h"
#include "services/device/lifecycle.h"
#include "services/device/store_templates.h"
#include "services/device/validation.h"

namespace cp::device {

using http::Schema;

http::Schema template_schema(bool create) {
  auto spec = device_spec_input_schema();
  return Schema::object(
      {{"name", Schema::string(1, 64)},
       {"spec", std::move(spec)},
       {"init_commands",
        Schema::array(Schema::string(1, 8192), 20).describe("run once after boot")},
       {"apps", Schema::array(Schema::string(1, 255), 50)
                    .describe("app ids or packages to preinstall (app service)")}},
      create ? std::vector<std::string>{"name"} : std::vector<std::string>{});
}

DeviceTemplate read_template_input(const boost::json::object& body, DeviceTemplate t, bool create) {
  // The spec is checked exactly like a device's: merge onto the current one, then validate.
  boost::json::object spec{{"android_version", t.spec.android_version},
                           {"width", t.spec.width},
                           {"height", t.spec.height},
                           {"dpi", t.spec.dpi},
                           {"fps", t.spec.fps},
                           {"cpu_cores", t.spec.cpu_cores},
                           {"memory_mb", t.spec.memory_mb},
                           {"storage_mb", t.spec.storage_mb}};
  if (const auto* s = body.if_contains("spec"); s && s->is_object()) {
    for (const auto& [k, v] : s->as_object()) spec[k] = v;
  }
  boost::json::object device{
      {"name", create || body.contains("name") ? body.at("name") : boost::json::value(t.name)},
      {"spec", spec}};
  create_device_schema().validate(device);
  auto in = read_create_input(device);
  t.name = in.name;
  t.spec = in.spec;
  if (body.contains("init_commands")) t.init_commands = http::get_strings(body, "init_commands");
  if (body.contains("apps")) t.apps = http::get_strings(body, "apps");
  return t;
}

boost::json::object template_json(const DeviceTemplate& t) {
  boost::json::array init, apps;
  for (const auto& c : t.init_commands) init.emplace_back(c);
  for (const auto& a : t.apps) apps.emplace_back(a);
  return {{"id", t.id},
          {"owner_id", t.owner_id},
          {"name", t.name},
          {"spec",
           {{"android_version", t.spec.android_version},
            {"width", t.spec.width},
            {"height", t.spec.height},
            {"dpi", t.spec.dpi},
            {"fps", t.spec.fps},
            {"cpu_cores", t.spec.cpu_cores},
            {"memory_mb", t.spec.memory_mb},
            {"storage_mb", t.spec.storage_mb}}},
          {"init_commands", std::move(init)},
          {"apps", std::move(apps)},
          {"created_at", to_rfc3339(t.created_at)},
          {"updated_at", to_rfc3339(t.updated_at)}};
}

std::vector<std::string> expand_names(const std::string& prefix, int count) {
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i) names.push_back(prefix + "-" + std::to_string(i));
  return names;
}

DeviceTemplate create_template(DeviceContext& ctx, const http::Identity& caller, DeviceTemplate t) {
  t.id = new_id("tpl");
  t.owner_id = caller.user_id;
  t.created_at = t.updated_at = now_ms();
  store::insert_template(ctx.db, t);
  return t;
}

DeviceTemplate get_template(DeviceContext& ctx, const http::Identity& caller,
                            const std::string& id) {
  auto t = store::find_template(ctx.db, id);
  if (!t || (t->owner_id != caller.user_id && !caller.is_admin())) {
    throw http::not_found("no template " + id, "template_not_found");
  }
  return *t;
}

Page<DeviceTemplate> list_templates(DeviceContext& ctx, const http::Identity& caller, int64_t limit,
                                    const std::string& cursor) {
  return store::list_templates(ctx.db, caller.is_admin() ? "" : caller.user_id, limit, cursor);
}

DeviceTemplate update_template(DeviceContext& ctx, const http::Identity& caller,
                               const std::string& id, const boost::json::object& patch) {
  auto t = read_template_input(patch, get_template(ctx, caller, id), false);
  t.updated_at = now_ms();
  store::update_template(ctx.db, t);
  return t;
}

void delete_template(DeviceContext& ctx, const http::Identity& caller, const std::string& id) {
  get_template(ctx, caller, id);
  store::delete_template(ctx.db, id);
}

std::vector<Device> create_from_template(DeviceContext& ctx, const http::Identity& caller,
                                         const std::string& id, int count,
                                         const std::string& name_prefix,
                                         const std::string& request_id) {
  auto t = get_template(ctx, caller, id);
  if (count < 1 || count > kMaxDevicesPerTemplateCall) {
    throw http::bad_request("count",
                            "must be from 1 to " + std::to_string(kMaxDevicesPerTemplateCall));
  }
  auto quota = ctx.quota(caller, request_id);  // outside the transaction: it is an HTTP call
  std::vector<Device> devices;
  for (const auto& name : expand_names(name_prefix.empty() ? t.name : name_prefix, count)) {
    Device d;
    d.id = new_id("dev");
    d.owner_id = caller.user_id;
    d.name = name.substr(0, 64);
    d.state_reason = "waiting for the runtime";
    d.runtime = ctx.settings.runtime;
    d.spec = t.spec;
    d.created_at = d.updated_at = now_ms();
    devices.push_back(std::move(d));
  }
  ctx.db.transaction([&](db::Transaction& tx) {
    auto usage = store::owner_usage(tx, caller.user_id);
    for (const auto& d : devices) {
      if (auto why = quota_violation(quota, usage, d.spec))
        throw http::conflict(*why, "quota_exceeded");
      usage.devices += 1;
      usage.cpu_cores += d.spec.cpu_cores;
      usage.memory_mb += d.spec.memory_mb;
    }
    for (const auto& d : devices) {
      store::insert_device(tx, d);
      if (!t.init_commands.empty())
        store::insert_init_commands(tx, d.id, t.id, t.init_commands, d.created_at);
      // The app service consumes template_apps and installs them once the device runs.
      boost::json::array apps(t.apps.begin(), t.apps.end());
      emit_device_event(tx, kEventCreated, d, d.created_at,
                        {{"template_id", t.id}, {"template_apps", std::move(apps)}});
    }
  });
  for (const auto& d : devices) {
    std::string dev_id = d.id;
    ctx.jobs.post([&ctx, dev_id] { provision_job(ctx, dev_id); });
  }
  return devices;
}

void run_init_commands(DeviceContext& ctx, const std::string& device_id) {
  auto commands = store::pending_init_commands(ctx.db, device_id);
  auto d = store::find_device(ctx.db, device_id);
  if (!commands || !d || d->state != DeviceState::running) return;
  std::string failure;
  try {
    adb::AdbConnectOptions options;
    options.connect_timeout = ctx.settings.adb_connect_timeout;
    options.io_timeout = ctx.settings.exec_timeout;
    auto conn =
        adb::AdbConnection::connect(d->adb_host, static_cast<uint16_t>(d->adb_port), options);
    for (size_t i = 0; i < commands->size() && failure.empty(); ++i) {
      auto r = conn->shell((*commands)[i], ctx.settings.exec_timeout);
      if (r.exit_code > 0) {
        failure = "init command " + std::to_string(i + 1) + " exited with " +
                  std::to_string(r.exit_code) + ": " + r.err.substr(0, 200);
      }
    }
  } catch (const std::exception& e) {
    failure = std::string("init commands failed: ") + e.what();
  }
  ctx.db.transaction([&](db::Transaction& tx) {
    if (!store::finish_init_commands(tx, device_id, failure.empty() ? "done" : "failed", failure,
                                     now_ms()))
      return;
    if (!failure.empty()) store::set_running_reason(tx, device_id, failure, now_ms());
  });
}

}  // namespace cp::device
