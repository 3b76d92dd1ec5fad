#include "services/app/device_api.h"

#include <boost/json.hpp>

#include "services/host/service_clients.h"

namespace cp::app {

namespace {

using http::Method;

class ServiceClientsDeviceApi final : public DeviceApi {
 public:
  explicit ServiceClientsDeviceApi(services::ServiceClients& clients) : clients_(clients) {}

  std::string state(const http::Identity& as, const std::string& device_id) override {
    auto res =
        clients_.call("device", Method::get, "/api/v1/devices/" + device_id, std::nullopt, as);
    if (res.result() == http::Status::not_found || res.result() == http::Status::forbidden)
      return "";
    auto body = check(res);
    return http::get_string(body, "state");
  }

  void install(const http::Identity& as, const std::string& device_id,
               const std::shared_ptr<const http::SpooledBody>& apk) override {
    // Streamed: in process the device route reads the same spooled file (ctx.upload), over HTTP
    // the client sends it from disk chunk by chunk; the APK is never held in memory.
    check(clients_.call_upload("device", Method::post, "/api/v1/devices/" + device_id + "/apps",
                               "application/vnd.android.package-archive", apk, as));
  }

  bool uninstall(const http::Identity& as, const std::string& device_id,
                 const std::string& package) override {
    auto res = clients_.call("device", Method::delete_,
                             "/api/v1/devices/" + device_id + "/apps/" + package, std::nullopt, as);
    if (res.result() == http::Status::not_found) {
      auto body = parse(res);
      if (http::get_string(body, "code") == "app_not_found") return false;
    }
    check(res);
    return true;
  }

 private:
  static boost::json::object parse(const http::Response& res) {
    boost::system::error_code ec;
    auto v = boost::json::parse(res.body(), ec);
    return !ec && v.is_object() ? v.as_object() : boost::json::object{};
  }
  // The body of a 2xx answer; a DeviceCallError carrying the problem's code and detail otherwise.
  static boost::json::object check(const http::Response& res) {
    auto body = parse(res);
    int status = static_cast<int>(res.result_int());
    if (status >= 200 && status < 300) return body;
    auto detail = http::get_string(body, "detail", res.body().substr(0, 200));
    throw DeviceCallError(status, http::get_string(body, "code", "device_error"), detail);
  }

  services::ServiceClients& clients_;
};

}  // namespace

std::unique_ptr<DeviceApi> device_api_over(services::ServiceClients& clients) {
  return std::make_unique<ServiceClientsDeviceApi>(clients);
}

}  // namespace cp::app
