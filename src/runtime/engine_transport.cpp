#include "runtime/engine_transport.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <cstring>

#include "core/http_client.h"

namespace cp::runtime {

namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// A non-blocking socket with deadline-aware blocking I/O, as a Beast SyncStream.
class FdStream {
 public:
  FdStream(int fd, Clock::time_point deadline) : fd_(fd), deadline_(deadline) {}
  FdStream(const FdStream&) = delete;
  FdStream& operator=(const FdStream&) = delete;
  ~FdStream() { ::close(fd_); }

  // Waits for `events`; throws EngineUnreachable on timeout.
  void wait(short events, const std::string& what) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (left.count() <= 0) throw EngineUnreachable(what + ": timed out");
      pollfd p{fd_, events, 0};
      int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r > 0) return;
      if (r == 0) throw EngineUnreachable(what + ": timed out");
      if (errno != EINTR) throw EngineUnreachable(what + ": " + strerror(errno));
    }
  }

  template <class Buffers>
  size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
    auto b = *boost::asio::buffer_sequence_begin(buffers);
    for (;;) {
      ssize_t n = ::recv(fd_, b.data(), b.size(), 0);
      if (n > 0) return static_cast<size_t>(n);
      if (n == 0) {
        ec = boost::asio::error::eof;
        return 0;
      }
      if (errno == EAGAIN || errno == EINTR) {
        wait(POLLIN, "read");
        continue;
      }
      ec = boost::system::error_code(errno, boost::system::system_category());
      return 0;
    }
  }
  template <class Buffers>
  size_t read_some(const Buffers& buffers) {
    boost::system::error_code ec;
    auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers, boost::system::error_code& ec) {
    size_t total = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::const_buffer b = *it;
      const char* p = static_cast<const char*>(b.data());
      size_t left = b.size();
      while (left > 0) {
        ssize_t n = ::send(fd_, p, left, MSG_NOSIGNAL);
        if (n > 0) {
          p += n;
          left -= static_cast<size_t>(n);
          total += static_cast<size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
          wait(POLLOUT, "write");
        } else {
          ec = boost::system::error_code(errno, boost::system::system_category());
          return total;
        }
      }
    }
    return total;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers) {
    boost::system::error_code ec;
    auto n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  using executor_type = boost::asio::any_io_executor;  // trait checks only

 private:
  int fd_;
  Clock::time_point deadline_;
};

// TCP engines go through the project's pooled HTTP client.
class TcpHttpTransport final : public EngineTransport {
 public:
  explicit TcpHttpTransport(http::Endpoint ep)
      : ep_(std::move(ep)), client_(http::HttpClient::Options{.connect_timeout = std::chrono::seconds(5),
                                                              .request_timeout = std::chrono::seconds(30)}) {}
  http::Response send(http::Request req, std::chrono::milliseconds timeout) override {
    try {
      return client_.send(ep_, std::move(req), timeout);
    } catch (const http::HttpClientError& e) {
      throw EngineUnreachable(describe() + ": " + e.what());
    }
  }
  std::string describe() const override { return "tcp://" + ep_.key(); }

 private:
  http::Endpoint ep_;
  http::HttpClient client_;
};

}  // namespace

UnixHttpTransport::UnixHttpTransport(std::string socket_path, size_t max_response_bytes)
    : path_(std::move(socket_path)), max_response_bytes_(max_response_bytes) {
  if (path_.size() >= sizeof(sockaddr_un{}.sun_path)) {
    throw std::invalid_argument("unix socket path too long: " + path_);
  }
}

http::Response UnixHttpTransport::send(http::Request req, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw EngineUnreachable(describe() + ": socket: " + strerror(errno));
  FdStream stream(fd, deadline);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS && errno != EAGAIN) {
      throw EngineUnreachable("cannot connect to the container engine at " + describe() + ": " +
                              strerror(errno));
    }
    stream.wait(POLLOUT, "connect " + describe());
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      throw EngineUnreachable("cannot connect to the container engine at " + describe() + ": " +
                              strerror(err));
    }
  }
  req.set(bhttp::field::host, "docker");
  req.version(11);
  req.keep_alive(false);
  req.prepare_payload();
  try {
    bhttp::write(stream, req);
    boost::beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_response_bytes_);
    if (req.method() == http::Method::head) parser.skip(true);
    bhttp::read(stream, buffer, parser);
    return parser.release();
  } catch (const EngineUnreachable& e) {
    throw EngineUnreachable(describe() + " " + std::string(req.target()) + ": " + e.what());
  } catch (const boost::system::system_error& e) {
    throw EngineUnreachable(describe() + " " + std::string(req.target()) + ": " + e.what());
  }
}

std::unique_ptr<EngineTransport> make_engine_transport(const std::string& host) {
  if (host.rfind("unix://", 0) == 0) {
    auto path = host.substr(7);
    if (path.empty() || path[0] != '/') throw std::invalid_argument("unix socket path must be absolute: " + host);
    return std::make_unique<UnixHttpTransport>(path);
  }
  if (host.rfind("tcp://", 0) == 0) return std::make_unique<TcpHttpTransport>(http::parse_endpoint("http://" + host.substr(6)));
  if (host.rfind("http://", 0) == 0) return std::make_unique<TcpHttpTransport>(http::parse_endpoint(host));
  throw std::invalid_argument("docker host must be unix:///path, tcp://host:port or http://host:port: '" + host + "'");
}

}  // namespace cp::runtime
