#include "services/media/webrtc_ice.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "core/config.h"

namespace cp::media {
namespace {

void check_urls(const std::vector<std::string>& urls,
                std::initializer_list<std::string_view> schemes, const std::string& key) {
  for (const auto& u : urls) {
    bool ok = false;
    for (auto s : schemes) ok = ok || (u.starts_with(s) && u.size() > s.size());
    if (!ok || u.find_first_of(" \t\r\n\"") != std::string::npos) {
      throw std::invalid_argument(key + ": not a " + std::string(*schemes.begin()) + " URL: " + u);
    }
  }
}

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

IceSettings IceSettings::from(const Config& config) {
  IceSettings s;
  s.stun_urls = config.get_list("media.stun_urls");
  s.turn_urls = config.get_list("media.turn_urls");
  s.turn_secret = config.get("media.turn_secret", "");
  s.turn_ttl = std::chrono::seconds(config.get_int("media.turn_ttl_s", 3600));
  check_urls(s.stun_urls, {"stun:", "stuns:"}, "media.stun_urls");
  check_urls(s.turn_urls, {"turn:", "turns:"}, "media.turn_urls");
  if (!s.turn_urls.empty() && s.turn_secret.empty()) {
    throw std::invalid_argument("media.turn_secret: required when media.turn_urls is set");
  }
  if (s.turn_ttl.count() < 60 || s.turn_ttl.count() > 7 * 86400) {
    throw std::invalid_argument("media.turn_ttl_s: must be 60..604800");
  }
  return s;
}

TurnCredential turn_credential(std::string_view secret, std::string_view user,
                               int64_t expiry_unix_s) {
  TurnCredential c;
  c.username = std::to_string(expiry_unix_s) + ":" + std::string(user);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(c.username.data()), c.username.size(), mac,
           &len) == nullptr) {
    throw std::runtime_error("hmac-sha1 failed");
  }
  c.password = base64(std::string_view(reinterpret_cast<const char*>(mac), len));
  return c;
}

boost::json::array ice_servers_json(const IceSettings& settings, const std::string& user_id,
                                    std::chrono::system_clock::time_point now) {
  boost::json::array out;
  if (!settings.stun_urls.empty()) {
    boost::json::array urls(settings.stun_urls.begin(), settings.stun_urls.end());
    out.push_back(boost::json::object{{"urls", std::move(urls)}});
  }
  if (!settings.turn_urls.empty()) {
    const auto expiry = std::chrono::duration_cast<std::chrono::seconds>(
                            (now + settings.turn_ttl).time_since_epoch())
                            .count();
    const auto cred = turn_credential(settings.turn_secret, user_id, expiry);
    boost::json::array urls(settings.turn_urls.begin(), settings.turn_urls.end());
    out.push_back(boost::json::object{
        {"urls", std::move(urls)}, {"username", cred.username}, {"credential", cred.password}});
  }
  return out;
}

}  // namespace cp::media
