// shell:, shell,v2,...: and exec: — a command run by the simulator's Shell on its own thread,
// stdin/stdout/stderr bridged to the ADB stream (raw, or shell protocol v2 framing).
#include <spdlog/spdlog.h>

#include <cstring>

#include "android/adb/shell_protocol.h"
#include "devicesim/adbd_services.h"
#include "devicesim/shell.h"

namespace cp::devicesim {
namespace {

using cp::adb::ShellFrameParser;
using cp::adb::ShellPacket;

struct ShellRequest {
  bool v2 = false;
  bool pty = false;
  bool exec = false;
  std::string command;
};

// "shell:cmd", "shell,v2,TERM=xterm,raw:cmd", "exec:cmd" (protocols.md §2.1–2.3).
ShellRequest parse_shell_service(const std::string& service) {
  ShellRequest req;
  size_t colon = service.find(':');
  req.command = service.substr(colon + 1);
  if (service.starts_with("exec:")) {
    req.exec = true;
    return req;
  }
  std::string_view args = std::string_view(service).substr(0, colon);
  bool type_given = false;
  while (!args.empty()) {
    size_t comma = args.find(',');
    auto arg = args.substr(0, comma);
    if (arg == "v2") req.v2 = true;
    if (arg == "raw" || arg == "pty") {
      req.pty = arg == "pty";
      type_given = true;
    }
    if (comma == std::string_view::npos) break;
    args.remove_prefix(comma + 1);
  }
  if (!type_given) req.pty = req.command.empty();  // adbd's default: PTY only when interactive
  return req;
}

// Stdin of a shell v2 session: the payload of stdin packets; close-stdin or the stream's end
// is EOF; window-size packets are irrelevant to the simulated shell.
class ShellV2Stdin final : public ByteStream {
 public:
  explicit ShellV2Stdin(AdbByteStream& stream) : stream_(stream) {}
  size_t read(std::span<uint8_t> buf) override {
    while (pending_.empty()) {
      if (eof_) return 0;
      if (auto frame = parser_.next()) {
        if (frame->id == ShellPacket::kStdin) pending_ = std::move(frame->data);
        if (frame->id == ShellPacket::kCloseStdin) eof_ = true;
        continue;
      }
      uint8_t chunk[16 * 1024];
      size_t n = stream_.read(chunk);
      if (n == 0) {
        eof_ = true;
        continue;
      }
      parser_.feed(std::span(chunk, n));
    }
    size_t n = std::min(buf.size(), pending_.size());
    std::memcpy(buf.data(), pending_.data(), n);
    pending_.erase(0, n);
    return n;
  }
  bool write(std::span<const uint8_t> data) override { return stream_.write(data); }
  void close() override { eof_ = true; }

 private:
  AdbByteStream& stream_;
  ShellFrameParser parser_;
  std::string pending_;
  bool eof_ = false;
};

bool write_text(AdbByteStream& stream, std::string_view text) {
  return stream.write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

bool write_frame(AdbByteStream& stream, ShellPacket id, std::string_view data) {
  auto frame = cp::adb::encode_shell_frame(id, data);
  return stream.write(frame);
}

}  // namespace

void serve_shell(SimulatedDevice& device, const std::string& service,
                 std::shared_ptr<cp::adb::AdbStream> stream) {
  ShellRequest req = parse_shell_service(service);
  AdbByteStream bytes(stream);
  ShellV2Stdin v2_stdin(bytes);
  std::function<bool(std::string_view)> out, err;
  if (req.v2) {
    out = [&](std::string_view d) { return write_frame(bytes, ShellPacket::kStdout, d); };
    // A PTY has one output channel: stderr shows up as stdout, as on a real terminal.
    err = req.pty ? out
                  : [&](std::string_view d) { return write_frame(bytes, ShellPacket::kStderr, d); };
  } else {
    out = [&](std::string_view d) { return write_text(bytes, d); };
    err = out;  // legacy shell and exec: stdout and stderr share the stream
  }
  ShellIo io{req.v2 ? static_cast<ByteStream&>(v2_stdin) : bytes, out, err, stream->closed_flag()};
  int exit_code = 1;
  try {
    exit_code =
        req.command.empty() ? device.shell().interactive(io) : device.shell().run(req.command, io);
  } catch (const std::exception& e) {
    spdlog::warn("adbd: shell command '{}' failed: {}", req.command, e.what());
    err(std::string("sh: ") + e.what() + "\n");
  }
  if (req.v2) {
    char code = static_cast<char>(exit_code & 0xFF);
    write_frame(bytes, ShellPacket::kExit, std::string_view(&code, 1));
  }
  stream->close();
}

}  // namespace cp::devicesim
