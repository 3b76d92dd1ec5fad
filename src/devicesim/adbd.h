#pragma once
// Device side of the ADB transport for the simulated device: a TCP listener (port 5555 on a
// real device) that speaks CNXN/AUTH and serves shell, exec, sync, tcp:, localabstract: and
// reboot: streams well enough for Google's adb 29 client (protocols.md §8).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "devicesim/device.h"

namespace cp::devicesim {

// Features we advertise: only what the services below implement. No abb/abb_exec, so
// `adb install` uses `exec:cmd package install -S`.
inline constexpr const char* kAdbdFeatures =
    "shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,fixed_push_symlink_timestamp";

class Adbd {
 public:
  explicit Adbd(SimulatedDevice& device);
  ~Adbd();
  Adbd(const Adbd&) = delete;
  Adbd& operator=(const Adbd&) = delete;

  // Binds config().listen_host:port (0 = free port) and starts accepting; returns the port.
  uint16_t start();
  // Stops accepting and drops every connection; joins all threads.
  void stop();
  // Drops the connections but keeps listening (what a reboot looks like from the host).
  void drop_connections();
  uint16_t port() const { return port_; }
  std::string banner() const;

 private:
  void accept_loop();
  void serve(uint64_t id, int fd);

  SimulatedDevice& device_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  struct Connection {
    int fd;
    std::thread thread;
    bool finished = false;
  };
  std::mutex mu_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Connection> connections_;
};

}  // namespace cp::devicesim
