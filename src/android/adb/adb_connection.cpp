#include "android/adb/adb_connection.h"

#include <unistd.h>

#include <fstream>

#include "android/adb/adb_socket.h"
#include "android/adb/shell_protocol.h"

namespace cp::adb {
namespace {

// What we can use on the device; never advertise what we do not implement (e.g. delayed_ack).
constexpr std::string_view kHostBanner =
    "host::features=shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir";

std::set<std::string> parse_features(std::string_view banner) {
  std::set<std::string> out;
  size_t at = banner.find("features=");
  if (at == std::string_view::npos) return out;
  auto list = banner.substr(at + 9);
  list = list.substr(0, list.find(';'));
  while (!list.empty()) {
    size_t comma = list.find(',');
    auto item = list.substr(0, comma);
    if (!item.empty()) out.emplace(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string shell_quote(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::unique_ptr<AdbConnection> AdbConnection::connect(const std::string& host, uint16_t port,
                                                      const AdbConnectOptions& options) {
  std::string where = host + ":" + std::to_string(port);
  FdGuard sock{tcp_connect(host, port, options.connect_timeout)};
  PacketParser parser(kMaxPayload);
  auto send = [&](uint32_t cmd, uint32_t a0, uint32_t a1, std::span<const uint8_t> payload) {
    if (!send_all(sock.fd, encode_message(cmd, a0, a1, payload))) {
      throw AdbError("adb: " + where + " closed the connection during the handshake");
    }
  };
  std::string banner(kHostBanner);
  send(kCnxn, kVersionSkipChecksum, kMaxPayload,
       std::span(reinterpret_cast<const uint8_t*>(banner.data()), banner.size()));

  auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
  bool signed_token = false, offered_key = false;
  for (;;) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) left = Millis(1);
    AdbMessage msg;
    try {
      msg = read_message(sock.fd, parser, left);
    } catch (const AdbError& e) {
      if (offered_key) throw AdbError("adb: " + where + " is unauthorized (key not accepted)");
      throw AdbError("adb: handshake with " + where + " failed: " + e.what());
    }
    if (msg.command == kCnxn) {
      auto conn = std::unique_ptr<AdbConnection>(new AdbConnection());
      conn->banner_ = std::string(msg.payload_text());
      while (!conn->banner_.empty() && conn->banner_.back() == '\0') conn->banner_.pop_back();
      conn->features_ = parse_features(conn->banner_);
      conn->options_ = options;
      uint32_t max_payload = std::min(std::max(msg.arg1, kMaxPayloadV1), kMaxPayload);
      conn->mux_ = std::make_unique<AdbMux>(sock.fd, std::move(parser), max_payload,
                                            AdbMux::OpenHandler{}, where);
      sock.fd = -1;  // the mux owns it now
      return conn;
    }
    if (msg.command == kAuth && msg.arg0 == kAuthToken) {
      if (!options.key) throw AdbError("adb: " + where + " requires authentication; no key");
      if (!signed_token) {
        signed_token = true;
        send(kAuth, kAuthSignature, 0, options.key->sign_token(msg.payload));
      } else if (options.offer_public_key && !offered_key) {
        offered_key = true;
        std::string pub = options.key->public_key_string();
        pub.push_back('\0');
        send(kAuth, kAuthRsaPublicKey, 0,
             std::span(reinterpret_cast<const uint8_t*>(pub.data()), pub.size()));
      } else {
        throw AdbError("adb: " + where + " rejected our key");
      }
    } else if (msg.command == kStls) {
      throw AdbError("adb: " + where + " wants TLS (wireless debugging), not supported");
    }
    // Anything else before CNXN is ignored, as adb does.
  }
}

AdbConnection::~AdbConnection() = default;

std::optional<std::string> AdbConnection::banner_property(const std::string& key) const {
  auto at = banner_.find(key + "=");
  if (at == std::string::npos) return std::nullopt;
  auto start = at + key.size() + 1;
  return banner_.substr(start, banner_.find(';', start) - start);
}

std::shared_ptr<AdbStream> AdbConnection::open(const std::string& service) {
  return mux_->open(service, options_.io_timeout);
}

ShellResult AdbConnection::shell(const std::string& command, Millis timeout) {
  if (!has_feature("shell_v2")) return ShellResult{-1, shell_raw(command, timeout), ""};
  auto stream = mux_->open("shell,v2,raw:" + command, timeout);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  try {
    stream->write(encode_shell_frame(ShellPacket::kCloseStdin, ""), timeout);
  } catch (const AdbError&) {
    // A quick command may have finished and closed the stream already; its output is
    // buffered. A dead connection shows up in the reads below.
  }
  ShellFrameParser parser;
  ShellResult result;
  std::optional<int> exit_code;
  uint8_t buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw AdbError("adb: shell command timed out: " + command);
    size_t n = stream->read(buf, left);
    if (n == 0) break;
    parser.feed(std::span(buf, n));
    while (auto frame = parser.next()) {
      if (frame->id == ShellPacket::kStdout) result.out += frame->data;
      if (frame->id == ShellPacket::kStderr) result.err += frame->data;
      if (frame->id == ShellPacket::kExit && !frame->data.empty()) {
        exit_code = static_cast<uint8_t>(frame->data[0]);
      }
    }
  }
  if (!exit_code) throw AdbError("adb: shell closed without an exit status: " + command);
  result.exit_code = *exit_code;
  return result;
}

std::string AdbConnection::shell_raw(const std::string& command, Millis timeout) {
  return mux_->open("shell:" + command, timeout)->read_to_end(timeout);
}

std::string AdbConnection::exec(const std::string& command, std::string_view input,
                                Millis timeout) {
  auto stream = mux_->open("exec:" + command, timeout);
  if (!input.empty()) stream->write(input, timeout);
  return stream->read_to_end(timeout);
}

std::unique_ptr<SyncClient> AdbConnection::sync() {
  return std::make_unique<SyncClient>(open("sync:"), has_feature("stat_v2"), has_feature("ls_v2"),
                                      options_.io_timeout);
}

void AdbConnection::push(const std::filesystem::path& local, const std::string& remote,
                         uint32_t mode) {
  sync()->push(local, remote, mode);
}

void AdbConnection::pull(const std::string& remote, const std::filesystem::path& local) {
  sync()->pull(remote, local);
}

void AdbConnection::install(const std::filesystem::path& apk,
                            const std::vector<std::string>& options, Millis timeout) {
  std::string opts;
  for (const auto& o : options) opts += " " + shell_quote(o);
  if (has_feature("cmd")) {
    auto size = std::filesystem::file_size(apk);
    auto stream =
        mux_->open("exec:cmd package install" + opts + " -S " + std::to_string(size), timeout);
    std::ifstream in(apk, std::ios::binary);
    if (!in) throw AdbError("adb install: cannot read " + apk.string());
    std::string chunk(max_payload(), '\0');
    try {
      while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        stream->write(std::string_view(chunk.data(), static_cast<size_t>(in.gcount())), timeout);
      }
    } catch (const AdbError&) {
      // The device may stop reading early (bad APK) and close with its reason: read it.
      if (!alive()) throw;
    }
    std::string reply = stream->read_to_end(timeout);
    if (!reply.starts_with("Success")) {
      throw AdbError("adb install " + apk.filename().string() + " failed: " + reply);
    }
    return;
  }
  std::string remote = "/data/local/tmp/" + apk.filename().string();
  push(apk, remote);
  auto result = shell("pm install" + opts + " " + shell_quote(remote), timeout);
  shell("rm -f " + shell_quote(remote), timeout);
  if (result.out.find("Success") == std::string::npos || result.exit_code > 0) {
    throw AdbError("adb install " + apk.filename().string() + " failed: " + result.out +
                   result.err);
  }
}

void AdbConnection::reboot(const std::string& target) {
  try {
    open("reboot:" + target)->read_to_end(std::chrono::seconds(5));
  } catch (const AdbError&) {
    // A device going down may drop the link before or after accepting: both are success.
    // Only a device that is still up and refused the request is an error.
    if (mux_->alive()) throw;
  }
}

}  // namespace cp::adb
