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

#include "core/log.h"
#include "core/offload.h"
#include "core/request_reader.h"
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
};

namespace {

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
    auto incoming = co_await read_request(stream, buffer, self->opt);
    if (!incoming) break;  // closed, or an error was answered and the connection ends
    auto req = std::make_shared<Request>(std::move(incoming->request));
    auto ctx =
        std::make_shared<RequestContext>(RequestContext{*req, {}, {}, client_ip, {}, {}, {}});
    ctx->upload = std::move(incoming->upload);
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
    // The spool file goes before the answer does, unless the handler kept it for later work.
    ctx->upload.reset();
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
