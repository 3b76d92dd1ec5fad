#include "android/adb/adb_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cp::adb {
namespace {
std::chrono::steady_clock::time_point deadline_after(Millis timeout) {
  return std::chrono::steady_clock::now() + timeout;
}
int millis_left(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left.count(), 1 << 30)));
}
}  // namespace

int tcp_connect(const std::string& host, uint16_t port, Millis timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string where = host + ":" + std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0) {
    throw AdbError("adb: cannot resolve " + where + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  auto deadline = deadline_after(timeout);
  std::string last_error = "no address";
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) continue;
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc < 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = ::poll(&p, 1, millis_left(deadline));
      if (rc == 0) {
        ::close(fd);
        throw AdbError("adb: timed out connecting to " + where);
      }
      int err = 0;
      socklen_t len = sizeof(err);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      errno = err;
      rc = err == 0 ? 0 : -1;
    }
    if (rc == 0) {
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      return fd;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  throw AdbError("adb: cannot connect to " + where + ": " + last_error);
}

bool send_all(int fd, std::span<const uint8_t> data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data = data.subspan(static_cast<size_t>(n));
  }
  return true;
}

AdbMessage read_message(int fd, PacketParser& parser, Millis timeout) {
  auto deadline = deadline_after(timeout);
  uint8_t buf[8192];
  for (;;) {
    if (auto msg = parser.next()) return std::move(*msg);
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, millis_left(deadline));
    if (rc == 0) throw AdbError("adb: timed out waiting for the peer");
    if (rc < 0 && errno == EINTR) continue;
    // Read only what is there: bytes after the handshake belong to the mux's parser.
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n == 0) throw AdbError("adb: peer closed the connection");
    if (n < 0) {
      if (errno == EINTR) continue;
      throw AdbError(std::string("adb: recv failed: ") + std::strerror(errno));
    }
    parser.feed(std::span(buf, static_cast<size_t>(n)));
  }
}

}  // namespace cp::adb
