#include "devicesim/adbd_services.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <thread>

#include "android/adb/adb_socket.h"

namespace cp::devicesim {
namespace {

using cp::adb::AdbError;
using cp::adb::AdbStream;
using cp::adb::kNoTimeout;

std::optional<uint16_t> parse_port(std::string_view text) {
  uint16_t port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port == 0) return std::nullopt;
  return port;
}

// tcp:PORT or tcp:HOST:PORT. The simulator's "localhost" is the host's loopback; other hosts
// are refused so a device stream cannot be used to reach arbitrary machines.
std::function<void()> tcp_service(std::string_view spec, std::shared_ptr<AdbStream> stream) {
  std::string host = "127.0.0.1";
  if (auto colon = spec.rfind(':'); colon != std::string_view::npos) {
    auto h = spec.substr(0, colon);
    if (h != "localhost" && h != "127.0.0.1") return nullptr;
    spec = spec.substr(colon + 1);
  }
  auto port = parse_port(spec);
  if (!port) return nullptr;
  int fd;
  try {
    fd = cp::adb::tcp_connect(host, *port, std::chrono::seconds(2));
  } catch (const AdbError& e) {
    spdlog::debug("adbd: tcp:{} refused: {}", *port, e.what());
    return nullptr;  // connection refused => CLSE, as adbd does
  }
  return [fd, stream] {
    std::thread to_host([fd, stream] {
      std::vector<uint8_t> buf(64 * 1024);
      for (;;) {
        ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n <= 0) break;
        try {
          stream->write(std::span(buf.data(), static_cast<size_t>(n)), kNoTimeout);
        } catch (const AdbError&) {
          break;
        }
      }
      ::shutdown(fd, SHUT_RDWR);
      stream->close();
    });
    std::vector<uint8_t> buf(64 * 1024);
    try {
      while (size_t n = stream->read(buf, kNoTimeout)) {
        if (!cp::adb::send_all(fd, std::span(buf.data(), n))) break;
      }
    } catch (const AdbError&) {
    }
    ::shutdown(fd, SHUT_RDWR);  // ends the other direction too
    to_host.join();
    ::close(fd);
  };
}

}  // namespace

size_t AdbByteStream::read(std::span<uint8_t> buf) {
  try {
    return stream_->read(buf, kNoTimeout);
  } catch (const AdbError&) {
    return 0;
  }
}

bool AdbByteStream::write(std::span<const uint8_t> data) {
  std::lock_guard lock(write_mu_);
  try {
    stream_->write(data, kNoTimeout);
    return true;
  } catch (const AdbError&) {
    return false;
  }
}

cp::adb::AdbMux::OpenHandler make_service_handler(SimulatedDevice& device) {
  return [&device](const std::string& service,
                   std::shared_ptr<AdbStream> stream) -> std::function<void()> {
    spdlog::debug("adbd: OPEN {}", service);
    std::string_view s = service;
    if (s.starts_with("shell") || s.starts_with("exec:")) {
      return [&device, service, stream] { serve_shell(device, service, stream); };
    }
    if (s == "sync:") {
      return [&device, stream] {
        AdbByteStream bytes(stream);
        serve_sync(device, bytes);
        stream->close();
      };
    }
    if (s.starts_with("tcp:")) return tcp_service(s.substr(4), stream);
    if (s.starts_with("localabstract:")) {
      auto bytes = std::make_shared<AdbByteStream>(stream);
      if (!device.sockets().connect(std::string(s.substr(14)), bytes)) return nullptr;
      return [] {};  // the listener owns the stream now
    }
    if (s.starts_with("reboot:")) {
      return [&device, stream] {
        stream->close();
        // Give the writer thread time to flush our OKAY/CLSE before the links drop, so the
        // host sees the reboot request succeed (a real phone also takes a moment to go down).
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        device.request_reboot();
      };
    }
    spdlog::info("adbd: refusing unsupported service '{}'", service);
    return nullptr;
  };
}

}  // namespace cp::devicesim
