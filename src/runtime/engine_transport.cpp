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

#include "core/deadline_socket.h"
#include "core/http_client.h"

namespace cp::runtime {

namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// TCP engines go through the project's pooled HTTP client.
class TcpHttpTransport final : public EngineTransport {
 public:
  explicit TcpHttpTransport(http::Endpoint ep)
      : ep_(std::move(ep)),
        client_(http::HttpClient::Options{.connect_timeout = std::chrono::seconds(5),
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
  http::DeadlineSocket stream(fd);
  stream.set_deadline(deadline);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS && errno != EAGAIN) {
      throw EngineUnreachable("cannot connect to the container engine at " + describe() + ": " +
                              strerror(errno));
    }
    try {
      stream.wait(POLLOUT);
    } catch (const http::HttpClientError& e) {
      throw EngineUnreachable("connect " + describe() + ": " + e.what());
    }
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
  } catch (const http::HttpClientError& e) {
    throw EngineUnreachable(describe() + " " + std::string(req.target()) + ": " + e.what());
  } catch (const boost::system::system_error& e) {
    throw EngineUnreachable(describe() + " " + std::string(req.target()) + ": " + e.what());
  }
}

std::unique_ptr<EngineTransport> make_engine_transport(const std::string& host) {
  if (host.rfind("unix://", 0) == 0) {
    auto path = host.substr(7);
    if (path.empty() || path[0] != '/')
      throw std::invalid_argument("unix socket path must be absolute: " + host);
    return std::make_unique<UnixHttpTransport>(path);
  }
  if (host.rfind("tcp://", 0) == 0)
    return std::make_unique<TcpHttpTransport>(http::parse_endpoint("http://" + host.substr(6)));
  if (host.rfind("http://", 0) == 0)
    return std::make_unique<TcpHttpTransport>(http::parse_endpoint(host));
  throw std::invalid_argument(
      "docker host must be unix:///path, tcp://host:port or http://host:port: '" + host + "'");
}

}  // namespace cp::runtime
