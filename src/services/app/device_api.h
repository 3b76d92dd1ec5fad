#pragma once
// What the app service needs from the device service, acting as a given caller so the device
// service's tenant checks apply. The real one goes through ServiceClients (in-process or HTTP)
// to POST /api/v1/devices/{id}/apps and DELETE /api/v1/devices/{id}/apps/{package}; unit tests
// use an in-memory fake.
#include <memory>
#include <stdexcept>
#include <string>

#include "core/identity.h"
#include "core/spooled_body.h"

namespace cp::services {
class ServiceClients;
}

namespace cp::app {

// A device call that did not succeed: the device service's status, code and detail.
struct DeviceCallError : std::runtime_error {
  DeviceCallError(int status_code, std::string error_code, const std::string& detail)
      : std::runtime_error(detail), status(status_code), code(std::move(error_code)) {}
  int status = 0;
  std::string code;
};

class DeviceApi {
 public:
  virtual ~DeviceApi() = default;
  // The device's state ("running", "booting", ...) or "" when the caller cannot see it.
  virtual std::string state(const http::Identity& as, const std::string& device_id) = 0;
  virtual void install(const http::Identity& as, const std::string& device_id,
                       const std::shared_ptr<const http::SpooledBody>& apk) = 0;
  // False when the package was not installed on the device.
  virtual bool uninstall(const http::Identity& as, const std::string& device_id,
                         const std::string& package) = 0;
};

std::unique_ptr<DeviceApi> device_api_over(services::ServiceClients& clients);

}  // namespace cp::app
