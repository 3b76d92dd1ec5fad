#pragma once
// A live ADB connection after the CNXN handshake: a reader thread dispatching packets to
// streams, a writer thread draining an outgoing queue (so the reader never blocks on a send),
// and service threads for streams the peer opens. Used by both AdbConnection (host side) and
// the simulator's adbd (device side).
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "android/adb/adb_packet.h"
#include "android/adb/adb_stream.h"

namespace cp::adb {

class AdbMux {
 public:
  // Called on the reader thread for a peer's OPEN. Return the work to run for the stream on its
  // own thread (after our OKAY is sent), or an empty function to refuse (CLSE). Must not block.
  using OpenHandler =
      std::function<std::function<void()>(const std::string& service, std::shared_ptr<AdbStream>)>;

  // Takes ownership of fd. `parser` may hold bytes already read after the handshake.
  AdbMux(int fd, PacketParser parser, uint32_t max_payload, OpenHandler on_open, std::string name);
  ~AdbMux();  // closes the socket, fails all streams, joins every thread
  AdbMux(const AdbMux&) = delete;
  AdbMux& operator=(const AdbMux&) = delete;

  // Sends OPEN and waits for the peer's OKAY; throws AdbError if refused, dead or timed out.
  std::shared_ptr<AdbStream> open(const std::string& service, Millis timeout);
  bool alive() const;
  std::string dead_reason() const;
  void wait_until_dead();
  void shutdown(const std::string& reason);
  uint32_t max_payload() const { return core_->max_payload; }

 private:
  void reader_loop(PacketParser parser);
  void writer_loop();
  void dispatch(AdbMessage& msg);
  void mark_dead(const std::string& reason);

  std::shared_ptr<MuxCore> core_;
  int fd_;
  OpenHandler on_open_;
  std::string name_;
  std::thread reader_;
  std::thread writer_;
  struct ServiceThread {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void start_service(std::function<void()> work);
  std::mutex services_mu_;
  std::vector<ServiceThread> services_;
};

}  // namespace cp::adb
