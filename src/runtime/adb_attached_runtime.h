#pragma once
// The adb runtime: an existing phone, emulator or Redroid host reachable at host:port. There is
// no lifecycle to manage — "running" means its ADB port accepts a connection; stop is a no-op
// (the phone stays on, we just stop using it) and restart reboots it over ADB.
#include <map>
#include <mutex>

#include "runtime/device_runtime.h"

namespace cp::runtime {

class AdbAttachedRuntime final : public DeviceRuntime {
 public:
  explicit AdbAttachedRuntime(std::chrono::milliseconds probe_timeout = std::chrono::seconds(2))
      : probe_timeout_(probe_timeout) {}

  std::string kind() const override { return "adb"; }
  std::string create(const RuntimeSpec& spec) override;
  AdbEndpoint start(const std::string& runtime_id) override;
  void stop(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  AdbEndpoint restart(const std::string& runtime_id, std::chrono::milliseconds grace) override;
  void remove(const std::string& runtime_id) override;
  InstanceStatus inspect(const std::string& runtime_id) override;
  std::string logs(const std::string& runtime_id, size_t max_bytes) override;
  std::vector<std::string> list() override;

 private:
  struct Attached {
    AdbEndpoint endpoint;
    bool in_use = false;  // started and not stopped
  };
  Attached get(const std::string& id);
  std::chrono::milliseconds probe_timeout_;
  std::mutex mu_;
  std::map<std::string, Attached> devices_;
};

}  // namespace cp::runtime
