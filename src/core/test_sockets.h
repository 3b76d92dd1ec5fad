#pragma once
// Test-only helpers: a blocking loopback TCP client with poll() deadlines for sending raw bytes
// (malformed requests, slow headers, fuzz input), and a scripted raw server for client tests.
// Header-only so it is not part of the cp_core library.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cp::test {

using namespace std::chrono_literals;

inline int connect_loopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Waits up to `timeout` for readability; reads what is there. "" with closed=true on EOF/error.
inline std::string read_some(int fd, std::chrono::milliseconds timeout, bool& closed) {
  closed = false;
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return "";
  char buf[65536];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  if (n <= 0) {
    closed = true;
    return "";
  }
  return std::string(buf, static_cast<size_t>(n));
}

class RawClient {
 public:
  explicit RawClient(uint16_t port) : fd_(connect_loopback(port)) {
    if (fd_ < 0) throw std::runtime_error("connect failed");
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // False when the peer has closed (EPIPE/ECONNRESET).
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // One response: headers plus Content-Length bytes. "" when the connection closed first.
  std::string read_response(std::chrono::milliseconds timeout = 3000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        auto lower = pending_.substr(0, end);
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (auto cl = lower.find("content-length:"); cl != std::string::npos) {
          length = std::stoul(lower.substr(cl + 15));
        }
        if (pending_.size() >= end + 4 + length) {
          auto response = pending_.substr(0, end + 4 + length);
          pending_.erase(0, end + 4 + length);
          return response;
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "";
      bool closed = false;
      pending_ += read_some(fd_, left, closed);
      if (closed) return "";
    }
  }

  // Reads until the server closes; true if it did within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      bool closed = false;
      pending_ += read_some(fd_, left, closed);
      if (closed) return true;
    }
  }
  const std::string& pending() const { return pending_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string pending_;
};

// A loopback listener whose connections are handled by a test-provided function, one thread
// per connection, to play servers that misbehave in exact ways.
class ScriptedServer {
 public:
  using Script = std::function<void(int fd, int connection_index)>;
  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
      for (int index = 0;; ++index) {
        pollfd p{listen_fd_, POLLIN, 0};
        while (!stop_ && ::poll(&p, 1, 20) == 0) {
        }
        if (stop_) return;
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;
        accepted_++;
        handlers_.emplace_back([this, fd, index] {
          script_(fd, index);
          ::close(fd);
        });
      }
    });
  }
  ~ScriptedServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : handlers_) t.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }

  // Reads one request (headers + Content-Length body); "" on EOF.
  static std::string read_request(int fd) {
    std::string data;
    char buf[4096];
    for (;;) {
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        if (auto cl = data.find("Content-Length: "); cl != std::string::npos && cl < end) {
          length = std::stoul(data.substr(cl + 16));
        }
        if (data.size() >= end + 4 + length) return data;
      }
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return "";
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return "";
      data.append(buf, static_cast<size_t>(n));
    }
  }
  static void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }
  // Closes with RST instead of FIN.
  static void reset(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  }

 private:
  Script script_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> handlers_;
};

}  // namespace cp::test
