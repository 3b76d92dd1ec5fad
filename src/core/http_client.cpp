#include "core/http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <cerrno>
#include <cstring>

namespace cp::http {

using Clock = std::chrono::steady_clock;

Endpoint parse_endpoint(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->host().empty()) {
    throw std::invalid_argument("not an http URL: " + url);
  }
  Endpoint ep;
  ep.host = std::string(parsed->host());
  ep.port = parsed->has_port() ? parsed->port_number() : 80;
  return ep;
}

// A socket with deadline-aware blocking I/O, wrapped as a SyncStream for Beast.
struct HttpClient::Connection {
  int fd = -1;
  Clock::time_point deadline;
  bool reused = false;  // came from the idle pool
  size_t received = 0;  // bytes read during the current exchange
  boost::beast::flat_buffer buffer;
  ~Connection() {
    if (fd >= 0) ::close(fd);
  }

  void wait(short events) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) throw HttpClientError(HttpClientError::Kind::timeout, "timed out");
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r == 0) throw HttpClientError(HttpClientError::Kind::timeout, "timed out");
    if (r < 0 && errno != EINTR) throw HttpClientError(HttpClientError::Kind::io, strerror(errno));
  }

  // SyncReadStream / SyncWriteStream for beast::http::read/write.
  template <class Buffers>
  size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
    for (;;) {
      auto b = *boost::asio::buffer_sequence_begin(buffers);
      ssize_t n = ::recv(fd, b.data(), b.size(), 0);
      if (n > 0) {
        received += static_cast<size_t>(n);
        return static_cast<size_t>(n);
      }
      if (n == 0) {
        ec = boost::asio::error::eof;
        return 0;
      }
      if (errno == EAGAIN || errno == EINTR) {
        wait(POLLIN);
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
        ssize_t n = ::send(fd, p, left, MSG_NOSIGNAL);
        if (n > 0) {
          p += n;
          left -= static_cast<size_t>(n);
          total += static_cast<size_t>(n);
          continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
          wait(POLLOUT);
          continue;
        }
        ec = boost::system::error_code(errno, boost::system::system_category());
        return total;
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
  // Beast's sync algorithms need an executor type only for trait checks.
  using executor_type = boost::asio::any_io_executor;
};

HttpClient::HttpClient() : HttpClient(Options{}) {}
HttpClient::HttpClient(Options options) : options_(options) {}
HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Connection> HttpClient::checkout(const Endpoint& ep,
                                                             Clock::time_point deadline,
                                                             bool fresh) {
  if (!fresh) {
    std::lock_guard lock(mu_);
    auto& list = idle_[ep.key()];
    while (!list.empty()) {
      auto conn = std::move(list.back());
      list.pop_back();
      // A pooled connection the server closed shows as readable (EOF); drop it.
      pollfd p{conn->fd, POLLIN, 0};
      if (::poll(&p, 1, 0) == 0) {
        conn->reused = true;
        return conn;
      }
    }
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(ep.host.c_str(), std::to_string(ep.port).c_str(), &hints, &res); rc) {
    throw HttpClientError(HttpClientError::Kind::connect,
                          "resolve " + ep.host + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  auto conn = std::make_unique<Connection>();
  conn->deadline = std::min(deadline, Clock::now() + options_.connect_timeout);
  std::string last_error = "no address";
  for (auto* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn->fd = fd;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return conn;
    if (errno == EINPROGRESS) {
      try {
        conn->wait(POLLOUT);
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err == 0) return conn;
        last_error = strerror(err);
      } catch (const HttpClientError& e) {
        last_error = e.what();
      }
    } else {
      last_error = strerror(errno);
    }
    ::close(fd);
    conn->fd = -1;
  }
  throw HttpClientError(HttpClientError::Kind::connect, "connect " + ep.key() + ": " + last_error);
}

void HttpClient::checkin(const Endpoint& ep, std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  auto& list = idle_[ep.key()];
  if (list.size() < options_.max_idle_per_host) list.push_back(std::move(conn));
}

namespace {
bool idempotent(Method m) {
  return m == Method::get || m == Method::head || m == Method::options || m == Method::put ||
         m == Method::delete_ || m == Method::trace;
}
}  // namespace

Response HttpClient::send(const Endpoint& ep, Request req,
                          std::optional<std::chrono::milliseconds> timeout) {
  const auto deadline = Clock::now() + timeout.value_or(options_.request_timeout);
  req.set(bhttp::field::host, ep.key());
  req.version(11);
  req.keep_alive(true);
  req.prepare_payload();
  // One retry when the connection died before any response byte arrived: the server closed a
  // pooled keep-alive connection just as we reused it. A request that may have had an effect is
  // retried only in that pooled case; a fresh connection that fails that way is a real failure.
  for (int attempt = 0;; ++attempt) {
    auto conn = checkout(ep, deadline, attempt > 0);
    conn->deadline = deadline;
    conn->received = 0;
    try {
      bhttp::write(*conn, req);
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(options_.max_response_bytes);
      if (req.method() == Method::head) parser.skip(true);  // Content-Length without a body
      bhttp::read(*conn, conn->buffer, parser);
      auto res = parser.release();
      if (res.keep_alive() && conn->buffer.size() == 0) {
        conn->reused = false;
        checkin(ep, std::move(conn));
      }
      return res;
    } catch (const HttpClientError&) {
      throw;
    } catch (const boost::system::system_error& e) {
      bool dead = e.code() == boost::asio::error::eof || e.code() == bhttp::error::end_of_stream ||
                  e.code() == boost::asio::error::connection_reset ||
                  e.code() == boost::asio::error::broken_pipe;
      bool retry =
          attempt == 0 && dead && conn->received == 0 && (conn->reused || idempotent(req.method()));
      if (retry) continue;
      throw HttpClientError(HttpClientError::Kind::io, "http " + ep.key() + ": " + e.what());
    }
  }
}

}  // namespace cp::http
