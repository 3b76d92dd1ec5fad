// WsConnection::backlog() with a real socket and a client that stops reading: what the server
// sent piles up in the connection (not in the kernel) and is reported, then drains to zero once
// the client reads again.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <future>

#include "core/server.h"
#include "core/websocket.h"

namespace cp::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

TEST(WsBacklog, StalledReaderShowsAsBacklogThatDrainsWhenItReads) {
  std::promise<std::shared_ptr<WsConnection>> opened;
  auto router = std::make_shared<Router>();
  RouteSpec spec;
  spec.pattern = "/ws/flood";
  spec.access = Access::public_route;
  spec.handler = [&opened](RequestContext& ctx) {
    auto h = std::make_shared<WsHandler>();
    h->on_open = [&opened](const std::shared_ptr<WsConnection>& c) { opened.set_value(c); };
    return accept_websocket(ctx, h);
  };
  router->add(spec);
  auto pipeline = std::make_shared<Pipeline>("ws");
  pipeline->set_handler(route_handler(router));
  ServerOptions options;
  options.io_threads = 2;
  options.shutdown_grace = 2s;
  HttpServer server(options, pipeline);
  const uint16_t port = server.start();

  asio::io_context ioc;
  websocket::stream<tcp::socket> client(ioc);
  client.next_layer().open(tcp::v4());
  client.next_layer().set_option(asio::socket_base::receive_buffer_size(4096));  // small window
  client.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  client.handshake("127.0.0.1", "/ws/flood");
  auto conn = opened.get_future().get();
  EXPECT_EQ(conn->backlog().messages, 0u);

  // 100 × 256 KiB while the client reads nothing: far more than the kernel buffers hold.
  constexpr size_t kSize = 256 * 1024;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(conn->send_binary(std::string(kSize, 'v')));
  std::this_thread::sleep_for(300ms);
  const auto stalled = conn->backlog();
  EXPECT_GT(stalled.bytes, 12 * kSize * 4) << "a stalled reader must show as backlog";
  EXPECT_GT(stalled.messages, 40u);
  EXPECT_LE(stalled.bytes, 100 * kSize);

  // The client reads everything: the backlog drains to zero.
  beast::flat_buffer buffer;
  for (int i = 0; i < 100; ++i) {
    client.read(buffer);
    EXPECT_EQ(buffer.size(), kSize);
    buffer.consume(buffer.size());
  }
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (conn->backlog().messages != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(conn->backlog().messages, 0u);
  EXPECT_EQ(conn->backlog().bytes, 0u);
  client.close(websocket::close_code::normal);
  server.stop();
}

}  // namespace
}  // namespace cp::http
