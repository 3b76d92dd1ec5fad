#pragma once
// The device services adbd runs on streams the host opens (protocols.md §2.1): shell (v1 and
// v2), exec, sync, tcp:, localabstract:, reboot:.
#include <memory>
#include <mutex>

#include "android/adb/adb_mux.h"
#include "devicesim/device.h"

namespace cp::devicesim {

// Dispatches an OPEN's service string; refuses (CLSE) what the simulator does not offer.
cp::adb::AdbMux::OpenHandler make_service_handler(SimulatedDevice& device);

// An ADB stream as the simulator's ByteStream: blocking, no timeouts (the connection's death
// ends every call), errors become EOF / false as the ByteStream contract says.
class AdbByteStream final : public ByteStream {
 public:
  explicit AdbByteStream(std::shared_ptr<cp::adb::AdbStream> stream) : stream_(std::move(stream)) {}
  size_t read(std::span<uint8_t> buf) override;
  bool write(std::span<const uint8_t> data) override;
  void close() override { stream_->close(); }
  cp::adb::AdbStream& stream() { return *stream_; }

 private:
  std::shared_ptr<cp::adb::AdbStream> stream_;
  std::mutex write_mu_;  // stdout and stderr of a command may be written from two threads
};

// Runs the sync: protocol on one stream until QUIT or close (adbd_sync.cpp).
void serve_sync(SimulatedDevice& device, ByteStream& stream);

// Runs `shell...:`/`exec:` (adbd_shell.cpp). `service` is the full OPEN string.
void serve_shell(SimulatedDevice& device, const std::string& service,
                 std::shared_ptr<cp::adb::AdbStream> stream);

}  // namespace cp::devicesim
