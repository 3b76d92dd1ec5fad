#include "core/http_client.h"

#include "core/deadline_socket.h"

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
#include <fstream>
#include <vector>

#include <boost/asio/write.hpp>

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

// A pooled connection: the socket plus the read buffer that may hold the next response's start.
struct HttpClient::Connection {
  DeadlineSocket socket;
  bool reused = false;  // came from the idle pool
  boost::beast::flat_buffer buffer;
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
      pollfd p{conn->socket.fd(), POLLIN, 0};
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
  conn->socket.set_deadline(std::min(deadline, Clock::now() + options_.connect_timeout));
  std::string last_error = "no address";
  for (auto* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn->socket.reset(fd);
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return conn;
    if (errno == EINPROGRESS) {
      try {
        conn->socket.wait(POLLOUT);
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
    conn->socket.reset();
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

namespace {
// Header, then the spooled file in chunks, each under a fresh deadline.
void write_streamed(DeadlineSocket& socket, Request& req, const SpooledBody& upload,
                    std::chrono::milliseconds per_chunk) {
  bhttp::request_serializer<bhttp::string_body> sr{req};
  bhttp::write_header(socket, sr);
  std::ifstream in(upload.path, std::ios::binary);
  if (!in) throw HttpClientError(HttpClientError::Kind::io, "cannot read " + upload.path.string());
  std::vector<char> chunk(256 * 1024);
  uint64_t sent = 0;
  while (sent < upload.size) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto n = static_cast<size_t>(in.gcount());
    if (n == 0) throw HttpClientError(HttpClientError::Kind::io, "upload file shrank");
    socket.set_deadline(Clock::now() + per_chunk);
    boost::asio::write(socket, boost::asio::buffer(chunk.data(), n));
    sent += n;
  }
}
}  // namespace

Response HttpClient::send(const Endpoint& ep, Request req,
                          std::optional<std::chrono::milliseconds> timeout,
                          const SpooledBody* upload) {
  const auto per_call = timeout.value_or(options_.request_timeout);
  auto deadline = Clock::now() + per_call;
  req.set(bhttp::field::host, ep.key());
  req.version(11);
  req.keep_alive(true);
  if (upload) {
    req.body().clear();
    req.content_length(upload->size);
  } else {
    req.prepare_payload();
  }
  // One retry when the connection died before any response byte arrived: the server closed a
  // pooled keep-alive connection just as we reused it. A request that may have had an effect is
  // retried only in that pooled case; a fresh connection that fails that way is a real failure.
  for (int attempt = 0;; ++attempt) {
    auto conn = checkout(ep, deadline, attempt > 0);
    conn->socket.set_deadline(deadline);
    conn->socket.reset_bytes_read();
    try {
      if (upload) {
        write_streamed(conn->socket, req, *upload, per_call);
        deadline = Clock::now() + per_call;
        conn->socket.set_deadline(deadline);
      } else {
        bhttp::write(conn->socket, req);
      }
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(options_.max_response_bytes);
      if (req.method() == Method::head) parser.skip(true);  // Content-Length without a body
      bhttp::read(conn->socket, conn->buffer, parser);
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
      bool retry = attempt == 0 && dead && conn->socket.bytes_read() == 0 &&
                   (conn->reused || idempotent(req.method()));
      if (retry) continue;
      throw HttpClientError(HttpClientError::Kind::io, "http " + ep.key() + ": " + e.what());
    }
  }
}

}  // namespace cp::http
