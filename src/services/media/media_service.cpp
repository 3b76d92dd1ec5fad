#include "services/media/media_service.h"
#include "services/media/schemas.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "core/ids.h"
#include "core/log.h"
#include "core/websocket.h"
#include "services/host/service_clients.h"
#include "services/media/media_metrics.h"

namespace cp::media {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

namespace {

std::string iso(std::chrono::system_clock::time_point t) {
  return to_rfc3339(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

}  // namespace

MediaService::MediaService(services::ServiceContext& ctx) : clients_(ctx.clients) {
  settings_.idle_timeout = ctx.config.get_ms("media.idle_timeout", settings_.idle_timeout);
  settings_.stop_grace = ctx.config.get_ms("media.stop_grace", settings_.stop_grace);
  settings_.max_fps = static_cast<int>(ctx.config.get_int("media.max_fps", settings_.max_fps));
  settings_.viewer_queue =
      static_cast<size_t>(std::max<int64_t>(2, ctx.config.get_int("media.viewer_queue", 16)));
  settings_.server_jar = ctx.config.get("media.scrcpy_server", "");
  load_webrtc_settings(ctx.config);
  settings_.viewer_backlog.bytes = static_cast<size_t>(
      std::max<int64_t>(64 * 1024, ctx.config.get_int("media.viewer_backlog_bytes", 1 << 20)));
  settings_.viewer_backlog.messages = static_cast<size_t>(
      std::max<int64_t>(2, ctx.config.get_int("media.viewer_backlog_frames", 30)));
  objects_ = objstore::make_object_store(ctx.config);
  spool_dir_ = std::filesystem::temp_directory_path() / ("cp-media-rec-" + random_hex(8));
}

MediaService::~MediaService() {
  stop();
}

void MediaService::start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  if (!reaper_.joinable()) reaper_ = std::thread([this] { reap(); });
}

void MediaService::stop() {
  std::vector<std::string> recording_devices;
  {
    std::lock_guard lock(mu_);
    for (const auto& [device_id, r] : recordings_) recording_devices.push_back(device_id);
  }
  for (const auto& device_id : recording_devices) {
    try {
      finish_recording(device_id);  // what was recorded so far is kept
    } catch (const std::exception& e) {
      log_event(spdlog::level::warn, "media", "recording lost at stop",
                {{"device_id", device_id}, {"error", e.what()}});
    }
  }
  std::map<std::string, DeviceEntry> devices;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    devices.swap(devices_);
    sessions_.clear();
  }
  cv_.notify_all();
  if (reaper_.joinable()) reaper_.join();
  for (auto& [id, d] : devices) {
    d.stream->close_viewers("service stopping");
    d.stream->stop();
  }
  if (!placeholder_jar_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(placeholder_jar_.parent_path(), ec);
  }
  std::error_code ec;
  std::filesystem::remove_all(spool_dir_, ec);
}

std::filesystem::path MediaService::server_jar() {
  if (!settings_.server_jar.empty()) return settings_.server_jar;
  if (placeholder_jar_.empty()) {
    auto dir = std::filesystem::temp_directory_path() / ("cp-media-" + random_hex(8));
    std::filesystem::create_directories(dir);
    placeholder_jar_ = dir / "scrcpy-server.jar";
    std::ofstream(placeholder_jar_) << "placeholder: the simulated device only needs the file\n";
  }
  return placeholder_jar_;
}

boost::json::object MediaService::session_json(const Session& s) const {
  boost::json::object out{{"session_id", s.id},
                          {"device_id", s.device_id},
                          {"user_id", s.user_id},
                          {"ws_url", "/api/v1/streams/" + s.id + "/ws"},
                          {"role", to_string(s.role)},
                          {"connected", s.connected},
                          {"created_at", iso(s.created_at)}};
  add_webrtc_fields(out, s.user_id);  // rtc_url, ice_servers (fresh TURN credentials)
  return out;
}

const MediaService::Session& MediaService::owned_session(const http::Identity& caller,
                                                         const std::string& id) const {
  auto it = sessions_.find(id);
  if (it == sessions_.end() || (it->second.user_id != caller.user_id && !caller.is_admin())) {
    throw http::not_found("no such stream session");
  }
  return it->second;
}

http::Response MediaService::create(RequestContext& rc) {
  const auto body = http::json_body(rc);
  const auto* device_id_value = body.if_contains("device_id");
  if (device_id_value == nullptr || !device_id_value->is_string() ||
      device_id_value->get_string().empty() || device_id_value->get_string().size() > 64) {
    throw http::bad_request("device_id", "must be a device id");
  }
  return open_session(rc, std::string(device_id_value->get_string()));
}

http::Response MediaService::list(RequestContext& rc) {
  const auto& caller = rc.caller();
  boost::json::array items;
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : sessions_) {
    if (s.user_id == caller.user_id || caller.is_admin()) items.push_back(session_json(s));
  }
  return http::json_response(Status::ok, boost::json::object{{"items", std::move(items)}});
}

void MediaService::end_session(const std::string& session_id) {
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return;
  const Session s = it->second;
  sessions_.erase(it);
  metrics().session_seconds.observe(
      std::chrono::duration<double>(Clock::now() - s.created).count());
  auto d = devices_.find(s.device_id);
  if (d == devices_.end()) return;
  d->second.stream->detach(s.id);
  if (auto ws = s.ws.lock()) {
    ws->send_text(R"({"t":"ended","reason":"session ended"})");
    ws->close();
  }
  if (auto promoted = d->second.roles.leave(s.id)) {
    if (auto p = sessions_.find(*promoted); p != sessions_.end()) {
      p->second.role = Role::kController;
      d->second.stream->set_role(*promoted, Role::kController);
    }
  }
  if (d->second.roles.empty()) d->second.empty_since = Clock::now();
}

http::Response MediaService::remove(RequestContext& rc) {
  std::lock_guard lock(mu_);
  owned_session(rc.caller(), rc.param("session_id"));
  end_session(rc.param("session_id"));
  return http::no_content();
}

http::Response MediaService::websocket(RequestContext& rc) {
  std::shared_ptr<DeviceStream> stream;
  std::string session_id = rc.param("session_id");
  {
    std::lock_guard lock(mu_);
    const auto& s = owned_session(rc.caller(), session_id);
    if (s.user_id != rc.caller().user_id) throw http::not_found("no such stream session");
    if (s.connected)
      throw http::conflict("the session already has a WebSocket", "already_connected");
    stream = devices_.at(s.device_id).stream;
  }
  auto handler = std::make_shared<http::WsHandler>();
  std::weak_ptr<DeviceStream> weak = stream;
  handler->on_open = [this, session_id, weak](const std::shared_ptr<http::WsConnection>& ws) {
    auto stream = weak.lock();
    Role role;
    {
      std::lock_guard lock(mu_);
      auto it = sessions_.find(session_id);
      if (!stream || it == sessions_.end()) {
        ws->send_text(R"({"t":"ended","reason":"session ended"})");
        ws->close();
        return;
      }
      it->second.ws = ws;
      it->second.connected = true;
      role = it->second.role;
    }
    stream->attach(session_id, ws, role);
  };
  handler->on_message = [session_id, weak](const std::shared_ptr<http::WsConnection>&,
                                           std::string_view text, bool binary) {
    auto stream = weak.lock();
    if (!stream) return;
    if (binary) {
      metrics().input_rejected("binary").inc();
      return;
    }
    stream->input(session_id, text);
  };
  handler->on_close = [this, session_id, weak] {
    if (auto stream = weak.lock()) stream->detach(session_id);
    std::lock_guard lock(mu_);
    if (auto it = sessions_.find(session_id); it != sessions_.end()) {
      it->second.connected = false;
      it->second.left = true;
      it->second.ws.reset();
      it->second.idle_since = Clock::now();
    }
  };
  return http::accept_websocket(rc, handler);
}

void MediaService::reap() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(500));
    if (stopping_) break;
    const auto now = Clock::now();
    // Streams that ended on their own: their sessions end too (other devices are untouched).
    auto ended = std::move(ended_);
    ended_.clear();
    std::vector<std::shared_ptr<DeviceStream>> to_stop;
    std::vector<std::string> finishing;  // recordings of streams that ended: keep what was recorded
    for (const auto& [device_id, reason] : ended) {
      auto d = devices_.find(device_id);
      if (d == devices_.end() || d->second.stream->running()) continue;
      if (!reason.empty()) {
        metrics().stream_failures.inc();
        log_event(spdlog::level::warn, "media", "device stream ended",
                  {{"device_id", device_id}, {"reason", reason}});
      }
      std::erase_if(sessions_, [&](const auto& kv) {
        if (kv.second.device_id != device_id) return false;
        metrics().session_seconds.observe(
            std::chrono::duration<double>(now - kv.second.created).count());
        return true;
      });
      if (recordings_.contains(device_id)) finishing.push_back(device_id);
      to_stop.push_back(d->second.stream);
      devices_.erase(d);
    }
    std::vector<std::string> idle;
    for (const auto& [id, s] : sessions_) {
      if (!s.connected && now - s.idle_since > settings_.idle_timeout) idle.push_back(id);
    }
    for (const auto& id : idle) end_session(id);
    for (auto it = devices_.begin(); it != devices_.end();) {
      if (it->second.roles.empty() && !recordings_.contains(it->first) &&
          now - it->second.empty_since > settings_.stop_grace) {
        to_stop.push_back(it->second.stream);
        it = devices_.erase(it);
      } else {
        ++it;
      }
    }
    if (to_stop.empty()) continue;
    lock.unlock();
    for (const auto& device_id : finishing) {
      try {
        finish_recording(device_id);
      } catch (const std::exception& e) {
        log_event(spdlog::level::warn, "media", "recording lost",
                  {{"device_id", device_id}, {"error", e.what()}});
      }
    }
    for (auto& s : to_stop) {
      s->close_viewers("stream ended");
      s->stop();
      metrics().streams.add(-1);
    }
    to_stop.clear();
    lock.lock();
  }
}

void MediaService::register_routes(http::Router& router) {
  router.add({Method::post, "/api/v1/streams", Access::permission, "media:stream",
              "Open a stream session on a cloud phone (owner, or admin as observer)", "streams",
              std::nullopt, opened_stream_session_schema(), Status::created,
              [this](RequestContext& rc) { return create(rc); }});
  router.add({Method::get, "/api/v1/streams", Access::permission, "media:stream",
              "List own stream sessions (admins: all)", "streams", std::nullopt,
              stream_session_list_schema(), Status::ok,
              [this](RequestContext& rc) { return list(rc); }});
  router.add({Method::delete_, "/api/v1/streams/{session_id}", Access::permission, "media:stream",
              "End a stream session (its owner or an admin)", "streams", std::nullopt, std::nullopt,
              Status::no_content, [this](RequestContext& rc) { return remove(rc); }});
  router.add({Method::get, "/api/v1/streams/{session_id}/ws", Access::permission, "media:stream",
              "The session's WebSocket: H.264 access units out, input JSON in", "streams",
              std::nullopt, std::nullopt, Status::switching_protocols,
              [this](RequestContext& rc) { return websocket(rc); }});
  register_device_routes(router);     // media_sessions.cpp
  register_recording_routes(router);  // media_recordings.cpp
  register_webrtc_routes(router);
}

}  // namespace cp::media
