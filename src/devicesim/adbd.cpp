#include "devicesim/adbd.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "android/adb/adb_key.h"
#include "android/adb/adb_mux.h"
#include "android/adb/adb_socket.h"
#include "devicesim/adbd_services.h"
#include "devicesim/props.h"

namespace cp::devicesim {
namespace {

using namespace cp::adb;

// adb's server sends its CNXN at once; a peer silent this long is not an adb host.
constexpr Millis kHandshakeTimeout = std::chrono::seconds(30);

// Banner values must not contain the banner's own separators.
std::string banner_value(std::string v) {
  for (char& c : v) {
    if (c == ':' || c == ';' || c == ',') c = '_';
  }
  return v;
}

void send_packet(int fd, uint32_t cmd, uint32_t arg0, uint32_t arg1, std::string_view payload) {
  if (!send_all(fd, encode_message(cmd, arg0, arg1, payload))) {
    throw AdbError("host went away during the handshake");
  }
}

std::vector<uint8_t> new_token() {
  std::vector<uint8_t> token(kAuthTokenSize);
  RAND_bytes(token.data(), static_cast<int>(token.size()));
  return token;
}

// Waits for the host's CNXN, runs AUTH when required, answers with our CNXN. Returns the
// negotiated max payload. Throws AdbError when the host leaves or never authenticates.
uint32_t handshake(int fd, PacketParser& parser, SimulatedDevice& device,
                   const std::string& banner) {
  const auto& config = device.config();
  AdbMessage msg;
  do {
    msg = read_message(fd, parser, kHandshakeTimeout);  // anything before CNXN is ignored
  } while (msg.command != kCnxn);
  uint32_t max_payload = std::min(std::max(msg.arg1, kMaxPayloadV1), kMaxPayload);
  spdlog::debug("adbd: host CNXN version {:#x} maxdata {} '{}'", msg.arg0, msg.arg1,
                msg.payload_text());

  if (config.auth_required) {
    // Keys are read per connection so an edited adb_keys file applies without a restart.
    auto keys = AuthorizedKeys::load(config.adb_keys);
    auto token = new_token();
    send_packet(fd, kAuth, kAuthToken, 0,
                std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
    for (;;) {
      // A host that offered its public key waits for a user who does not exist here; keep the
      // connection (adb shows "unauthorized") until the host gives up.
      msg = read_message(fd, parser, std::chrono::hours(24));
      if (msg.command != kAuth) continue;
      if (msg.arg0 == kAuthSignature) {
        if (keys.verify(token, msg.payload)) break;
        spdlog::info("adbd: AUTH signature rejected ({} accepted keys)", keys.size());
        token = new_token();
        send_packet(fd, kAuth, kAuthToken, 0,
                    std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
      } else if (msg.arg0 == kAuthRsaPublicKey) {
        spdlog::info("adbd: host offered an unknown public key; not approved (simulated device)");
      }
    }
  }
  send_packet(fd, kCnxn, kVersionSkipChecksum, kMaxPayload, banner);
  return max_payload;
}

}  // namespace

Adbd::Adbd(SimulatedDevice& device) : device_(device) {}

Adbd::~Adbd() {
  stop();
}

std::string Adbd::banner() const {
  auto& props = device_.props();
  return "device::ro.product.name=" +
         banner_value(props.get_or("ro.product.name", "cloudphone_sim")) + ";ro.product.model=" +
         banner_value(props.get_or("ro.product.model", device_.config().model)) +
         ";ro.product.device=" + banner_value(props.get_or("ro.product.device", "cloudphone_sim")) +
         ";features=" + kAdbdFeatures;
}

uint16_t Adbd::start() {
  const auto& config = device_.config();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(config.listen_host.c_str(), std::to_string(config.port).c_str(), &hints,
                           &res);
      rc != 0) {
    throw std::runtime_error("adbd: cannot resolve " + config.listen_host + ": " +
                             gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  listen_fd_ = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (listen_fd_ < 0 || ::bind(listen_fd_, res->ai_addr, res->ai_addrlen) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    std::string err = std::strerror(errno);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
    throw std::runtime_error("adbd: cannot listen on " + config.listen_host + ":" +
                             std::to_string(config.port) + ": " + err);
  }
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                           : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
  spdlog::info("adbd (simulated device) listening on {}:{}", config.listen_host, port_);
  return port_;
}

void Adbd::stop() {
  if (stopping_.exchange(true)) return;
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  drop_connections();
  std::map<uint64_t, Connection> connections;
  {
    std::lock_guard lock(mu_);
    connections.swap(connections_);
  }
  for (auto& [id, conn] : connections) conn.thread.join();
}

void Adbd::drop_connections() {
  std::lock_guard lock(mu_);
  for (auto& [id, conn] : connections_) {
    if (conn.fd >= 0) ::shutdown(conn.fd, SHUT_RDWR);
  }
}

void Adbd::accept_loop() {
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (!stopping_) spdlog::error("adbd: accept failed: {}", std::strerror(errno));
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard lock(mu_);
    // Reap connections that ended so a long-running device does not pile up threads.
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (it->second.finished) {
        it->second.thread.join();
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
    uint64_t id = next_id_++;
    auto& conn = connections_[id];
    conn.fd = fd;
    conn.thread = std::thread([this, id, fd] { serve(id, fd); });
  }
}

void Adbd::serve(uint64_t id, int fd) {
  auto release_fd = [&] {
    std::lock_guard lock(mu_);
    connections_[id].fd = -1;
  };
  try {
    PacketParser parser(kMaxPayloadV1);
    uint32_t max_payload = handshake(fd, parser, device_, banner());
    spdlog::info("adbd: host connected (connection {})", id);
    AdbMux mux(fd, std::move(parser), max_payload, make_service_handler(device_),
               "adbd#" + std::to_string(id));
    mux.wait_until_dead();
    spdlog::info("adbd: connection {} closed: {}", id, mux.dead_reason());
    release_fd();  // the mux closes the fd when it goes out of scope
  } catch (const std::exception& e) {
    spdlog::info("adbd: connection {} ended during handshake: {}", id, e.what());
    release_fd();
    ::close(fd);
  }
  std::lock_guard lock(mu_);
  connections_[id].finished = true;
}

}  // namespace cp::devicesim
