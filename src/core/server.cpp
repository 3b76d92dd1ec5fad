#include "core/server.h"

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <map>
#include <mutex>
#include <optional>

#include "core/body_spooler.h"
#include "core/log.h"
#include "core/offload.h"
#include "core/websocket.h"
#include "core/ws_connection.h"

namespace cp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

namespace {
// One per connection, so stop() can close connections that sit idle in keep-alive. Touched only
// on the connection's strand (the socket's executor); `stream` is cleared when the session ends.
struct ConnState {
  beast::tcp_stream* stream = nullptr;
  asio::any_io_executor executor;
  bool busy = false;
};

Response simple_error(Status status, const std::string& code, const std::string& detail) {
  auto res = problem_response(ApiError(status, code, detail), "", "");
  res.keep_alive(false);
  return res;
}

// The answer to a failed body read, or none when the client simply went away.
std::optional<Response> body_read_error(const beast::error_code& ec) {
  if (ec == beast::http::error::body_limit) {
    return simple_error(Status::payload_too_large, "body_too_large",
                        "request body exceeds the limit");
  }
  if (ec != beast::error::timeout && ec != asio::error::eof &&
      ec != beast::http::error::end_of_stream && ec != asio::error::connection_reset &&
      ec != asio::error::operation_aborted) {
    return simple_error(Status::bad_request, "malformed_request",
                        "malformed HTTP body: " + ec.message());
  }
  return std::nullopt;
}

bool expects_continue(const Request& req) {
  auto it = req.find(bhttp::field::expect);
  return it != req.end() && beast::iequals(it->value(), "100-continue");
}
}  // namespace

struct HttpServer::Impl {
  ServerOptions opt;
  std::shared_ptr<const Pipeline> pipeline;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<int> sessions{0};
  std::mutex conns_mu;
  std::map<ConnState*, std::weak_ptr<ConnState>> conns;
  std::vector<std::weak_ptr<WsConnectionImpl>> websockets;  // closed by stop()

  Impl(ServerOptions o, std::shared_ptr<const Pipeline> p)
      : opt(std::move(o)),
        pipeline(std::move(p)),
        workers(opt.inline_handlers ? 1 : opt.worker_threads) {}

  bool is_upload_target(std::string_view target) const {
    for (const auto& prefix : opt.upload_prefixes) {
      if (target.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
  }
  size_t body_limit_for(std::string_view target) const {
    if (opt.upload_body_limit > 0 && is_upload_target(target)) return opt.upload_body_limit;
    return opt.body_limit;
  }
};

namespace {

asio::awaitable<void> write_response(beast::tcp_stream& stream, Response res,
                                     std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  co_await beast::async_write(stream, beast::http::message_generator(std::move(res)), use_tuple);
}

// Sends an error that ends the connection, then reads and discards what the client is still
// sending for a moment before closing. Closing a socket with unread input makes the kernel send
// RST, and the client would lose the response it has not read yet (typically a 413 while it is
// still uploading the body).
asio::awaitable<void> write_final_error(beast::tcp_stream& stream, Response res,
                                        std::chrono::milliseconds timeout) {
  co_await write_response(stream, std::move(res), timeout);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  stream.expires_after(std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(2)));
  std::array<char, 16 * 1024> sink;
  for (;;) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (rec) break;
  }
}

asio::awaitable<void> run_websocket(HttpServer::Impl* self, beast::tcp_stream stream, Request req,
                                    std::shared_ptr<WsHandler> handler) {
  auto conn = std::make_shared<WsConnectionImpl>(std::move(stream));
  {
    std::lock_guard lock(self->conns_mu);
    std::erase_if(self->websockets, [](const auto& w) { return w.expired(); });
    self->websockets.push_back(conn);
  }
  if (self->stopping) co_return;
  co_await conn->run(std::move(req), std::move(handler));
}

// Waits for the first byte of the next request, under the deadline the caller has set.
// Meanwhile the connection counts as idle, so stop() may close it.
asio::awaitable<bool> wait_for_next_request(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
  if (buffer.size() > 0) co_return true;
  auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
  if (ec) co_return false;
  buffer.commit(n);
  co_return true;
}

asio::awaitable<void> session(HttpServer::Impl* self, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  auto state = std::make_shared<ConnState>();
  state->stream = &stream;
  state->executor = stream.get_executor();
  {
    std::lock_guard lock(self->conns_mu);
    self->conns[state.get()] = state;
  }
  std::string client_ip;
  {
    beast::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) client_ip = ep.address().to_string();
  }
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    state->busy = false;
    if (self->stopping) break;
    // The first request has read_timeout from the accept to arrive in full; later ones may take
    // idle_timeout to begin and then have read_timeout from their first byte.
    stream.expires_after(first ? self->opt.read_timeout : self->opt.idle_timeout);
    bool request_started = co_await wait_for_next_request(stream, buffer);
    if (!request_started) break;
    if (!first) stream.expires_after(self->opt.read_timeout);
    first = false;
    state->busy = true;
    beast::http::request_parser<beast::http::string_body> parser;
    parser.header_limit(16 * 1024);
    // The body limit depends on the target, known only after the header: Beast checks a
    // Content-Length against the limit while parsing the header, so none is set until then.
    parser.body_limit(boost::none);
    auto [ec, n] = co_await beast::http::async_read_header(stream, buffer, parser, use_tuple);
    if (ec) {
      if (ec == beast::http::error::header_limit) {
        co_await write_final_error(stream,
                                   simple_error(Status::request_header_fields_too_large,
                                                "headers_too_large", "request headers too large"),
                                   self->opt.read_timeout);
      } else if (ec != beast::http::error::end_of_stream && ec != beast::error::timeout &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 ec != asio::error::eof && buffer.size() > 0) {
        co_await write_final_error(stream,
                                   simple_error(Status::bad_request, "malformed_request",
                                                "malformed HTTP request: " + ec.message()),
                                   self->opt.read_timeout);
      }
      break;
    }
    const size_t limit = self->body_limit_for(parser.get().target());
    if (parser.content_length() && *parser.content_length() > limit) {
      co_await write_final_error(stream,
                                 simple_error(Status::payload_too_large, "body_too_large",
                                              "request body exceeds the limit"),
                                 self->opt.read_timeout);
      break;
    }
    parser.body_limit(limit);  // still enforced for chunked bodies
    const bool spool = should_spool(parser.get(), self->is_upload_target(parser.get().target()));
    std::shared_ptr<const SpooledBody> upload;
    auto req = std::make_shared<Request>();
    if (!parser.is_done()) {
      if (expects_continue(parser.get())) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue), use_tuple);
        if (wec) break;
      }
      beast::error_code read_ec;
      if (spool) {
        auto spooled = co_await read_body_to_spool(
            stream, buffer, parser, limit, self->opt.spool_dir, self->opt.read_timeout, *req);
        if (spooled.write_failed) {
          co_await write_final_error(stream,
                                     simple_error(Status::insufficient_storage, "spool_failed",
                                                  "the upload could not be stored"),
                                     self->opt.read_timeout);
          break;
        }
        read_ec = spooled.ec;
        upload = std::move(spooled.body);
      } else {
        auto [ec2, n2] = co_await beast::http::async_read(stream, buffer, parser, use_tuple);
        read_ec = ec2;
      }
      if (read_ec) {
        if (auto error = body_read_error(read_ec)) {
          co_await write_final_error(stream, std::move(*error), self->opt.read_timeout);
        }
        break;
      }
    }
    if (!upload) *req = parser.release();
    auto ctx =
        std::make_shared<RequestContext>(RequestContext{*req, {}, {}, client_ip, {}, {}, {}});
    ctx->upload = std::move(upload);
    auto pipeline = self->pipeline;
    // A named local, not a temporary in the co_await expression (GCC 12 coroutine bugs).
    Response res;
    if (self->opt.inline_handlers) {
      // On this I/O thread: no hand-off (two context switches) per request. Blocking is
      // bounded by the many I/O threads this mode runs with; strands keep connections apart.
      res = pipeline->handle(*ctx);
    } else {
      auto handle = [pipeline, ctx]() { return pipeline->handle(*ctx); };
      res = co_await offload(self->workers, std::move(handle));
    }
    if (res.result() == Status::switching_protocols) {
      if (auto handler = take_websocket_handler(*ctx)) {
        {
          std::lock_guard lock(self->conns_mu);
          self->conns.erase(state.get());
        }
        state->stream = nullptr;
        stream.expires_never();
        co_await run_websocket(self, std::move(stream), std::move(*req), std::move(handler));
        co_return;
      }
      res = problem_response(ApiError(Status::internal_server_error, "internal", "upgrade failed"),
                             ctx->request_id, "");
    }
    bool keep_alive = req->keep_alive() && !self->stopping;
    res.keep_alive(keep_alive);
    co_await write_response(stream, std::move(res), self->opt.read_timeout);
    if (!keep_alive) break;
  }
  state->stream = nullptr;  // a cancel posted by stop() may still run after this frame is gone
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::lock_guard lock(self->conns_mu);
  self->conns.erase(state.get());
}

asio::awaitable<void> accept_loop(HttpServer::Impl* self) {
  for (;;) {
    // Each connection gets its own strand as the socket's executor, so everything touching it
    // (the session coroutine, stop()'s cancel, WebSocket writes) is serialised.
    auto [ec, socket] =
        co_await self->acceptor.async_accept(asio::make_strand(self->ioc), use_tuple);
    if (ec) {
      if (self->stopping || ec == asio::error::operation_aborted) co_return;
      continue;  // e.g. EMFILE: keep serving existing connections
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto executor = socket.get_executor();
    self->sessions.fetch_add(1);
    asio::co_spawn(executor, session(self, tcp::socket(std::move(socket))),
                   [self](std::exception_ptr ep) {
                     self->sessions.fetch_sub(1);
                     if (ep) {
                       try {
                         std::rethrow_exception(ep);
                       } catch (const std::exception& e) {
                         log_event(spdlog::level::warn, "http", "session ended with error",
                                   {{"error", e.what()}});
                       }
                     }
                   });
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<const Pipeline> pipeline)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(pipeline))) {}

HttpServer::~HttpServer() {
  stop();
}

uint16_t HttpServer::start() {
  auto& s = *impl_;
  tcp::endpoint endpoint(asio::ip::make_address(s.opt.host), s.opt.port);
  s.acceptor.open(endpoint.protocol());
  s.acceptor.set_option(asio::socket_base::reuse_address(true));
  s.acceptor.bind(endpoint);
  s.acceptor.listen(asio::socket_base::max_listen_connections);
  port_ = s.acceptor.local_endpoint().port();
  asio::co_spawn(s.ioc, accept_loop(&s), asio::detached);
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  // Inline handlers may block (a database round trip): run enough I/O threads that a few
  // blocked ones never stall the others.
  size_t n = s.opt.io_threads ? s.opt.io_threads
                              : (s.opt.inline_handlers ? std::max<size_t>(8, 4 * cores) : cores);
  for (size_t i = 0; i < n; ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  return port_;
}

void HttpServer::stop() {
  auto& s = *impl_;
  if (s.threads.empty() || s.stopping.exchange(true)) {
    return;
  }
  asio::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  // Idle keep-alive connections are closed now; busy ones close after their response.
  {
    std::lock_guard lock(s.conns_mu);
    for (auto& [raw, weak] : s.conns) {
      if (auto conn = weak.lock()) {
        asio::post(conn->executor, [conn] {
          if (!conn->busy && conn->stream) conn->stream->cancel();
        });
      }
    }
    // WebSockets have no request to finish: they get a close frame now.
    for (auto& weak : s.websockets) {
      if (auto ws = weak.lock()) ws->close();
    }
  }
  auto deadline = std::chrono::steady_clock::now() + s.opt.shutdown_grace;
  while (s.sessions.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.workers.join();
}

}  // namespace cp::http
