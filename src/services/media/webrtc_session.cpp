// The WebRTC transport of a stream session: WS /api/v1/streams/{id}/rtc carries the signalling
// (offer and candidates out, answer and candidates in), the device's meta/clipboard/ended
// messages, and input as on the WebSocket path until the data channels are open. The peer
// connection itself lives in a worker process (webrtc_worker.h) attached to the device stream
// like any viewer, so roles, IDR gating, back-pressure and input rules are the same.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>

#include "core/config.h"
#include "core/log.h"
#include "services/media/media_metrics.h"
#include "services/media/media_service.h"
#include "services/media/webrtc_metrics.h"
#include "services/media/webrtc_peer.h"
#include "services/media/webrtc_sdp.h"

namespace cp::media {

using http::Method;
using http::RequestContext;
using http::Status;

namespace {

constexpr size_t kMaxSignalSize = 64 * 1024 + 1024;
constexpr size_t kMaxCandidateSize = 2048;

std::string ended_json(const std::string& reason) {
  return boost::json::serialize(boost::json::object{{"t", "ended"}, {"reason", reason}});
}

std::string error_json(const std::string& field, const std::string& reason) {
  return boost::json::serialize(
      boost::json::object{{"t", "error"}, {"field", field}, {"reason", reason}});
}

// The peer of one signalling socket, set once the worker runs.
struct RtcState {
  std::mutex mu;
  std::shared_ptr<WebRtcPeer> peer;
  std::shared_ptr<WebRtcPeer> get() {
    std::lock_guard lock(mu);
    return peer;
  }
};

// Signalling from the browser: a checked answer/candidate for the worker, or an error for the
// browser. Returns nullopt with *error empty when the message is not signalling (input).
std::optional<std::string> check_signal(const boost::json::object& o, std::string& error) {
  const auto& t = o.at("t").as_string();
  if (t == "answer") {
    const auto* sdp = o.if_contains("sdp");
    if (sdp == nullptr || !sdp->is_string()) {
      error = error_json("sdp", "must be a string");
      return std::nullopt;
    }
    if (auto why = check_answer(sdp->as_string()); !why.empty()) {
      webrtc_metrics().answers_refused.inc();
      error = error_json("sdp", why);
      return std::nullopt;
    }
    return boost::json::serialize(boost::json::object{{"t", "answer"}, {"sdp", sdp->as_string()}});
  }
  if (t == "candidate") {
    const auto* c = o.if_contains("candidate");
    const auto* index = o.if_contains("sdpMLineIndex");
    if (c == nullptr || !c->is_string() || c->as_string().size() > kMaxCandidateSize ||
        c->as_string().find_first_of("\r\n") != boost::json::string::npos) {
      error = error_json("candidate", "must be one candidate line");
      return std::nullopt;
    }
    if (index == nullptr || !index->is_int64() || index->as_int64() < 0 || index->as_int64() > 15) {
      error = error_json("sdpMLineIndex", "must be an integer 0..15");
      return std::nullopt;
    }
    return boost::json::serialize(boost::json::object{
        {"t", "candidate"}, {"candidate", c->as_string()}, {"sdpMLineIndex", index->as_int64()}});
  }
  return std::nullopt;
}

}  // namespace

void MediaService::load_webrtc_settings(const Config& config) {
  ice_ = IceSettings::from(config);
  worker_exe_ = config.get("media.worker_bin", "");
  if (worker_exe_.empty()) {
    // The running cloudphone binary: the worker is its `media-worker` subcommand.
    std::error_code ec;
    worker_exe_ = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  }
}

void MediaService::add_webrtc_fields(boost::json::object& session,
                                     const std::string& user_id) const {
  session["rtc_url"] =
      "/api/v1/streams/" + std::string(session.at("session_id").as_string()) + "/rtc";
  session["ice_servers"] = ice_servers_json(ice_, user_id, std::chrono::system_clock::now());
}

http::Response MediaService::rtc(RequestContext& rc) {
  std::shared_ptr<DeviceStream> stream;
  const std::string session_id = rc.param("session_id");
  {
    std::lock_guard lock(mu_);
    const auto& s = owned_session(rc.caller(), session_id);
    if (s.user_id != rc.caller().user_id) throw http::not_found("no such stream session");
    if (s.connected)
      throw http::conflict("the session already has a WebSocket", "already_connected");
    stream = devices_.at(s.device_id).stream;
  }
  auto handler = std::make_shared<http::WsHandler>();
  auto state = std::make_shared<RtcState>();
  std::weak_ptr<DeviceStream> weak = stream;
  handler->on_open = [this, session_id, weak,
                      state](const std::shared_ptr<http::WsConnection>& ws) {
    auto stream = weak.lock();
    Role role;
    {
      std::lock_guard lock(mu_);
      auto it = sessions_.find(session_id);
      if (!stream || it == sessions_.end() || it->second.connected) {
        ws->send_text(ended_json("session ended"));
        ws->close();
        return;
      }
      it->second.ws = ws;
      it->second.connected = true;
      role = it->second.role;
    }
    WebRtcPeerOptions options;
    options.worker_exe = worker_exe_;
    if (!ice_.stun_urls.empty()) options.stun_url = ice_.stun_urls.front();
    std::weak_ptr<http::WsConnection> weak_ws = ws;
    WebRtcPeerCallbacks callbacks{[weak, session_id](std::string_view text) {
                                    if (auto s = weak.lock()) s->input(session_id, text);
                                  },
                                  [weak, session_id] {
                                    if (auto s = weak.lock()) s->request_key_frame(session_id);
                                  },
                                  [weak_ws](const std::string& reason) {
                                    if (auto w = weak_ws.lock()) {
                                      w->send_text(ended_json(reason));
                                      w->close();
                                    }
                                  }};
    std::shared_ptr<WebRtcPeer> peer;
    try {
      peer = WebRtcPeer::start(options, ws, std::move(callbacks));
    } catch (const std::exception& e) {
      log_event(spdlog::level::warn, "media", "WebRTC worker start failed", {{"error", e.what()}});
      ws->send_text(ended_json(std::string("WebRTC unavailable: ") + e.what()));
      ws->close();
      return;
    }
    {
      std::lock_guard lock(state->mu);
      state->peer = peer;
    }
    webrtc_metrics().viewers.add(1);
    stream->attach(session_id, peer, role);  // meta to the browser, config + IDR to the worker
  };
  handler->on_message = [session_id, weak, state](const std::shared_ptr<http::WsConnection>& ws,
                                                  std::string_view text, bool binary) {
    auto stream = weak.lock();
    if (!stream) return;
    boost::system::error_code ec;
    auto v = binary || text.size() > kMaxSignalSize ? boost::json::value()
                                                    : boost::json::parse(text, ec);
    if (ec || !v.is_object() || !v.as_object().contains("t") ||
        !v.as_object().at("t").is_string()) {
      metrics().input_rejected("rtc_malformed").inc();
      ws->send_text(error_json("t", "expected a JSON object with a string t"));
      return;
    }
    std::string error;
    if (auto signal = check_signal(v.as_object(), error)) {
      if (auto peer = state->get()) peer->signal(std::move(*signal));
    } else if (!error.empty()) {
      ws->send_text(error);
    } else {
      stream->input(session_id, text);  // the same input as on the WebSocket path
    }
  };
  handler->on_close = [this, session_id, weak, state] {
    std::shared_ptr<WebRtcPeer> peer;
    {
      std::lock_guard lock(state->mu);
      peer = std::move(state->peer);
    }
    if (auto stream = weak.lock()) stream->detach(session_id);
    if (peer) {
      peer->close();
      webrtc_metrics().viewers.add(-1);
    }
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

void MediaService::register_webrtc_routes(http::Router& router) {
  router.add(
      {Method::get, "/api/v1/streams/{session_id}/rtc", http::Access::permission, "media:stream",
       "The session's WebRTC signalling WebSocket: offer/candidates out, answer/candidates in",
       "streams", std::nullopt, std::nullopt, Status::switching_protocols,
       [this](RequestContext& rc) { return rtc(rc); }});
}

}  // namespace cp::media
