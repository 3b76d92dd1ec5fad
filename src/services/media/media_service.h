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
#include <thread>

#include "services/media/device_stream.h"
#include "services/media/roles.h"
#include "services/service.h"

namespace cp::media {

struct MediaSettings {
  std::chrono::milliseconds idle_timeout{60'000};  // a session with no WebSocket this long ends
  std::chrono::milliseconds stop_grace{5'000};     // device stream kept after its last session
  int max_fps = 60;
  size_t viewer_queue = 16;
  std::filesystem::path server_jar;  // empty: a placeholder (enough for the simulated device)
};

class MediaService final : public services::Service {
 public:
  explicit MediaService(services::ServiceContext& ctx);
  ~MediaService() override;

  std::string name() const override { return "media"; }
  std::vector<std::string> api_prefixes() const override { return {"media", "streams", "recordings"}; }
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
  };
  struct DeviceEntry {
    std::shared_ptr<DeviceStream> stream;
    RoleTable roles;
    Clock::time_point empty_since;
  };

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
  std::vector<std::pair<std::string, std::string>> ended_;  // device id, reason (from on_end)
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread reaper_;
  std::filesystem::path placeholder_jar_;
};

}  // namespace cp::media
