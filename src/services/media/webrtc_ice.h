#pragma once
// ICE servers handed to browsers: STUN URLs as configured, TURN URLs with short-lived
// credentials in coturn's REST-API scheme (use-auth-secret): username "expiry:user",
// password base64(HMAC-SHA1(secret, username)). The secret never leaves the server.
#include <boost/json/array.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace cp {
class Config;
}

namespace cp::media {

struct IceSettings {
  std::vector<std::string> stun_urls;   // media.stun_urls: "stun:host:port,..."
  std::vector<std::string> turn_urls;   // media.turn_urls: "turn:host:port?transport=udp,..."
  std::string turn_secret;              // media.turn_secret (coturn static-auth-secret)
  std::chrono::seconds turn_ttl{3600};  // media.turn_ttl_s

  // Throws std::invalid_argument naming the key when a URL has the wrong scheme, or TURN URLs
  // are configured without a secret.
  static IceSettings from(const Config& config);
};

struct TurnCredential {
  std::string username, password;
};
TurnCredential turn_credential(std::string_view secret, std::string_view user,
                               int64_t expiry_unix_s);

// RTCIceServer[] for RTCPeerConnection, for `user_id` at `now`.
boost::json::array ice_servers_json(const IceSettings& settings, const std::string& user_id,
                                    std::chrono::system_clock::time_point now);

}  // namespace cp::media
