// Device-scoped stream sessions (POST/GET /api/v1/devices/{id}/stream), controller hand-over and
// per-device stream settings (applied by restarting the device's scrcpy session).
#include <boost/json/parse.hpp>

#include "core/ids.h"
#include "core/log.h"
#include "services/host/service_clients.h"
#include "services/media/media_metrics.h"
#include "services/media/media_service.h"
#include "services/media/schemas.h"
#include "services/media/stream_settings.h"

namespace cp::media {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

MediaService::DeviceAccess MediaService::authorize_device(RequestContext& rc,
                                                          const std::string& device_id) {
  const auto& caller = rc.caller();
  if (device_id.empty() || device_id.size() > 64) throw http::not_found("no such device");
  // The device service decides who may see the device: its 404 is ours.
  auto res = clients_.call("device", Method::get, "/api/v1/devices/" + device_id, std::nullopt,
                           caller, rc.request_id);
  if (res.result() == Status::not_found || res.result() == Status::forbidden) {
    throw http::not_found("no such device");
  }
  if (res.result() != Status::ok) {
    throw http::unavailable("device service answered " + std::to_string(res.result_int()));
  }
  const auto device = boost::json::parse(res.body()).as_object();
  const bool owner = device.at("owner_id").as_string() == caller.user_id;
  if (!owner && !caller.is_admin()) throw http::not_found("no such device");
  if (device.at("state").as_string() != "running") {
    throw http::conflict("the device is not running", "device_not_running");
  }
  const auto* adb = device.if_contains("adb");
  if (adb == nullptr || !adb->is_object())
    throw http::conflict("the device has no ADB endpoint", "no_adb");
  DeviceAccess access;
  access.host = std::string(adb->as_object().at("host").as_string());
  access.port = static_cast<uint16_t>(adb->as_object().at("port").to_number<int64_t>());
  access.owner = owner;
  return access;
}

StreamSettings MediaService::device_settings(const std::string& device_id) const {
  if (auto it = device_settings_.find(device_id); it != device_settings_.end()) return it->second;
  StreamSettings s;
  s.max_fps = settings_.max_fps;
  return s;
}

std::shared_ptr<DeviceStream> MediaService::ensure_stream(const std::string& device_id,
                                                          const DeviceAccess& access) {
  std::lock_guard start_lock(start_mu_);
  StreamOptions options;
  {
    std::lock_guard lock(mu_);
    if (auto it = devices_.find(device_id); it != devices_.end() && it->second.stream->running()) {
      return it->second.stream;
    }
    options.settings = device_settings(device_id);
  }
  options.host = access.host;
  options.port = access.port;
  options.server_jar = server_jar();
  options.viewer_queue = settings_.viewer_queue;
  options.viewer_backlog = settings_.viewer_backlog;
  std::shared_ptr<DeviceStream> stream;
  try {
    stream = std::make_shared<DeviceStream>(
        device_id, options, [this](const std::string& id, const std::string& reason) {
          std::lock_guard lock(mu_);
          ended_.emplace_back(id, reason);
          cv_.notify_all();
        });
  } catch (const std::exception& e) {
    log_event(spdlog::level::warn, "media", "stream start failed",
              {{"device_id", device_id}, {"error", e.what()}});
    metrics().stream_failures.inc();
    throw http::unavailable(std::string("could not start the device stream: ") + e.what(),
                            "stream_unavailable");
  }
  metrics().streams.add(1);
  std::lock_guard lock(mu_);
  auto& entry = devices_[device_id];
  entry.stream = stream;  // a fresh stream (any ended one is reaped with its sessions)
  entry.empty_since = Clock::now();
  return stream;
}

http::Response MediaService::open_session(RequestContext& rc, const std::string& device_id) {
  const auto access = authorize_device(rc, device_id);
  auto stream = ensure_stream(device_id, access);
  std::lock_guard lock(mu_);
  auto& entry = devices_[device_id];
  if (entry.stream != stream)
    throw http::unavailable("the device stream ended", "stream_unavailable");
  Session s;
  s.id = "str_" + random_hex(12);
  s.device_id = device_id;
  s.user_id = rc.caller().user_id;
  s.role = entry.roles.join(s.id, access.owner);
  // A controller whose console went away (closed tab, reload) must not keep control from the
  // owner's new console until the idle reaper ends it.
  if (s.role == Role::kViewer && access.owner) {
    const auto current = entry.roles.controller();
    auto c = current ? sessions_.find(*current) : sessions_.end();
    std::optional<std::string> previous;
    if (c != sessions_.end() && c->second.left && !c->second.connected &&
        entry.roles.hand_over(s.id, &previous)) {
      c->second.role = Role::kViewer;
      s.role = Role::kController;
    }
  }
  s.created = s.idle_since = Clock::now();
  s.created_at = std::chrono::system_clock::now();
  auto out = session_json(s);
  const auto size = stream->size();
  out["codec"] = "avc1.42E01F";
  out["width"] = size.width;
  out["height"] = size.height;
  // Signalling: the WebSocket carries the stream (and, for WebRTC, the offer/answer).
  out["signalling"] = boost::json::object{{"ws_url", out["ws_url"]},
                                          {"transports", boost::json::array{"websocket"}}};
  sessions_.emplace(s.id, std::move(s));
  return http::json_response(Status::created, out);
}

http::Response MediaService::create_for_device(RequestContext& rc) {
  return open_session(rc, rc.param("id"));
}

http::Response MediaService::list_for_device(RequestContext& rc) {
  const auto& caller = rc.caller();
  const auto device_id = rc.param("id");
  boost::json::array items;
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : sessions_) {
    if (s.device_id == device_id && (s.user_id == caller.user_id || caller.is_admin())) {
      items.push_back(session_json(s));
    }
  }
  boost::json::object out{{"items", std::move(items)}};
  if (auto d = devices_.find(device_id);
      d != devices_.end() && (caller.is_admin() || !out["items"].as_array().empty())) {
    const auto st = d->second.stream->stats();
    out["stream"] = boost::json::object{{"fps", st.fps},
                                        {"bit_rate", st.bit_rate},
                                        {"viewers", st.viewers},
                                        {"frames", st.frames},
                                        {"key_frame_requests", st.key_frame_requests}};
  }
  return http::json_response(Status::ok, out);
}

http::Response MediaService::take_control(RequestContext& rc) {
  std::lock_guard lock(mu_);
  const auto& s = owned_session(rc.caller(), rc.param("session_id"));
  if (s.user_id != rc.caller().user_id)
    throw http::forbidden("only the session's own user can take control");
  auto& entry = devices_.at(s.device_id);
  std::optional<std::string> previous;
  if (!entry.roles.hand_over(s.id, &previous)) {
    throw http::forbidden("this session may only view (admin observer)", "view_only");
  }
  if (previous) {
    if (auto p = sessions_.find(*previous); p != sessions_.end()) p->second.role = Role::kViewer;
    entry.stream->set_role(*previous, Role::kViewer);
  }
  sessions_.at(s.id).role = Role::kController;
  entry.stream->set_role(s.id, Role::kController);
  return http::json_response(Status::ok, session_json(sessions_.at(s.id)));
}

http::Response MediaService::get_settings(RequestContext& rc) {
  authorize_device(rc, rc.param("id"));
  std::lock_guard lock(mu_);
  return http::json_response(Status::ok, settings_json(device_settings(rc.param("id"))));
}

http::Response MediaService::put_settings(RequestContext& rc) {
  const auto device_id = rc.param("id");
  const auto body = http::json_body(rc);
  StreamSettings next;
  {
    std::lock_guard lock(mu_);
    next = merge_settings(body, device_settings(device_id));  // 400 before anything else
  }
  const auto access = authorize_device(rc, device_id);
  if (!access.owner) throw http::forbidden("only the device's owner changes its stream");
  std::shared_ptr<DeviceStream> stream;
  {
    std::lock_guard lock(mu_);
    device_settings_[device_id] = next;
    if (auto d = devices_.find(device_id); d != devices_.end() && d->second.stream->running()) {
      stream = d->second.stream;
    }
  }
  bool restarted = false;
  if (stream && !(stream->settings() == next)) {
    std::lock_guard start_lock(start_mu_);
    try {
      stream->restart(next);
    } catch (const std::exception& e) {
      throw http::unavailable(std::string("the device stream did not restart: ") + e.what(),
                              "stream_unavailable");
    }
    restarted = true;
  }
  auto out = settings_json(next);
  out["restarted"] = restarted;
  if (stream) {
    const auto size = stream->size();
    out["width"] = size.width;
    out["height"] = size.height;
  }
  return http::json_response(Status::ok, out);
}

void MediaService::register_device_routes(http::Router& router) {
  router.add({Method::post, "/api/v1/devices/{id}/stream", Access::permission, "media:stream",
              "Open a stream session on the device (owner controls, admin observes); returns "
              "signalling info",
              "streams", std::nullopt, opened_stream_session_schema(), Status::created,
              [this](RequestContext& rc) { return create_for_device(rc); }});
  router.add({Method::get, "/api/v1/devices/{id}/stream", Access::permission, "media:stream",
              "The device's stream sessions (own; admins: all) and stream statistics", "streams",
              std::nullopt, device_streams_schema(), Status::ok,
              [this](RequestContext& rc) { return list_for_device(rc); }});
  router.add(
      {Method::post, "/api/v1/streams/{session_id}/control", Access::permission, "media:stream",
       "Take control of the device with this session; the previous controller becomes a viewer",
       "streams", std::nullopt, stream_session_schema(), Status::ok,
       [this](RequestContext& rc) { return take_control(rc); }});
  router.add({Method::get, "/api/v1/devices/{id}/stream/settings", Access::permission,
              "media:stream", "The device's stream settings (max_size, max_fps, bit_rate)",
              "streams", std::nullopt, stream_settings_schema(), Status::ok,
              [this](RequestContext& rc) { return get_settings(rc); }});
  router.add({Method::put, "/api/v1/devices/{id}/stream/settings", Access::permission,
              "media:stream",
              "Change the device's stream settings; a running stream restarts its scrcpy session",
              "streams", std::nullopt, stream_settings_result_schema(), Status::ok,
              [this](RequestContext& rc) { return put_settings(rc); }});
}

}  // namespace cp::media
