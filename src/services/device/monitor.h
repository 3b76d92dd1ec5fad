#pragma once
// Health monitor: every monitor_interval it asks the runtime about each running device and
// sends an ADB heartbeat; a dead instance or a silent ADB marks the device `error` with the
// reason, and an instance the runtime's restart policy brought back goes to `booting` and then
// `running` again. reconcile() runs once at service start: devices the database says are up
// but the runtime does not know (e.g. after a restart of cloudphone) are started again (or
// marked stopped, by config), and runtime instances without a live device are removed.
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "services/device/device_context.h"
#include "services/device/model.h"

namespace cp::device {

class HealthMonitor {
 public:
  explicit HealthMonitor(DeviceContext& ctx) : ctx_(ctx) {}
  ~HealthMonitor() { stop(); }

  void start();
  void stop();
  // One pass over the devices (also called by tests).
  void check_once();
  void reconcile();

 private:
  void check_running(const Device& d);
  void check_error(const Device& d);
  void run();

  DeviceContext& ctx_;
  std::map<std::string, int> heartbeat_failures_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cp::device
