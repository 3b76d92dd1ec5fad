#pragma once
// The media service (seed port 30007): stream sessions on cloud phones, the WebSocket +
// WebCodecs transport and input back to the device. One DeviceStream per device however many
// viewers; started with the first session, stopped a grace period after the last one left.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/json/object.hpp>

#include "objstore/object_store.h"
#include "services/media/device_stream.h"
#include "services/media/recording.h"
#include "services/media/roles.h"
#include "services/media/webrtc_ice.h"
#include "services/service.h"

namespace cp::media {

struct MediaSettings {
  std::chrono::milliseconds idle_timeout{60'000};  // a session with no WebSocket this long ends
  std::chrono::milliseconds stop_grace{5'000};     // device stream kept after its last session
  int max_fps = 60;
  size_t viewer_queue = 16;
  ViewerFeed::BacklogLimit viewer_backlog;
  std::filesystem::path server_jar;  // empty: a placeholder (enough for the simulated device)
};

class MediaService final : public services::Service {
 public:
  explicit MediaService(services::ServiceContext& ctx);
  ~MediaService() override;

  std::string name() const override { return "media"; }
  std::vector<std::string> api_prefixes() const override {
    return {"media", "streams", "recordings"};
  }
  void register_routes(http::Router& router) override;
  void start() override;
  void stop() override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Session {
    std::string id, device_id, user_id;
    Role role = Role::kViewer;
    Clock::time_point created, idle_since;
    std::chrono::system_clock::time_point created_at;
    std::weak_ptr<http::WsConnection> ws;
    bool connected = false;
    bool left = false;  // its console connected and went away since
  };
  struct DeviceEntry {
    std::shared_ptr<DeviceStream> stream;
    RoleTable roles;
    Clock::time_point empty_since;
  };
  // What the device service said about a device the caller may see.
  struct DeviceAccess {
    std::string host;
    uint16_t port = 0;
    bool owner = false;
  };
  struct ActiveRecording {
    std::shared_ptr<Recording> recording;
    std::string user_id;
    std::chrono::system_clock::time_point started_at;
  };

  // media_sessions.cpp: device-scoped sessions, hand-over, stream settings.
  DeviceAccess authorize_device(http::RequestContext& rc, const std::string& device_id);
  std::shared_ptr<DeviceStream> ensure_stream(const std::string& device_id,
                                              const DeviceAccess& access);
  http::Response open_session(http::RequestContext& rc, const std::string& device_id);
  http::Response create_for_device(http::RequestContext& rc);
  http::Response list_for_device(http::RequestContext& rc);
  http::Response take_control(http::RequestContext& rc);
  http::Response get_settings(http::RequestContext& rc);
  http::Response put_settings(http::RequestContext& rc);
  StreamSettings device_settings(const std::string& device_id) const;  // mu_ held
  void register_device_routes(http::Router& router);
  // media_recordings.cpp
  http::Response start_recording(http::RequestContext& rc);
  http::Response stop_recording(http::RequestContext& rc);
  http::Response list_recordings(http::RequestContext& rc);
  http::Response download_recording(http::RequestContext& rc);
  // Finishes and stores the device's recording; its metadata, or nullopt if there was none.
  std::optional<boost::json::object> finish_recording(const std::string& device_id);
  void register_recording_routes(http::Router& router);
  // webrtc_session.cpp: the WebRTC transport (signalling socket, worker per viewer).
  void load_webrtc_settings(const Config& config);
  void add_webrtc_fields(boost::json::object& session, const std::string& user_id) const;
  http::Response rtc(http::RequestContext& rc);
  void register_webrtc_routes(http::Router& router);

  http::Response create(http::RequestContext& rc);
  http::Response list(http::RequestContext& rc);
  http::Response remove(http::RequestContext& rc);
  http::Response websocket(http::RequestContext& rc);
  boost::json::object session_json(const Session& s) const;
  const Session& owned_session(const http::Identity& caller, const std::string& id) const;  // mu_
  void end_session(const std::string& session_id);  // mu_ held
  void reap();
  std::filesystem::path server_jar();

  services::ServiceClients& clients_;
  MediaSettings settings_;
  std::mutex start_mu_;  // device streams start one at a time (each blocks up to 10 s)
  mutable std::mutex mu_;
  std::map<std::string, Session> sessions_;
  std::map<std::string, DeviceEntry> devices_;
  std::map<std::string, StreamSettings> device_settings_;  // per device, set through the API
  std::map<std::string, ActiveRecording> recordings_;      // by device id: one at a time
  std::unique_ptr<objstore::ObjectStore> objects_;
  std::filesystem::path spool_dir_;                         // recordings being written
  std::vector<std::pair<std::string, std::string>> ended_;  // device id, reason (from on_end)
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread reaper_;
  std::filesystem::path placeholder_jar_;
  IceSettings ice_;         // STUN/TURN for browsers (and STUN for workers)
  std::string worker_exe_;  // binary whose `media-worker` subcommand runs a WebRTC viewer
};

}  // namespace cp::media
