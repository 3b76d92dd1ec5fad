// WebSocket endpoints end to end with a real Beast client: upgrade through the pipeline, echo,
// ordered server pushes from another thread, close after queued messages, and stop() closing.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
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

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_shared<Router>();
    RouteSpec echo;
    echo.pattern = "/ws/echo";
    echo.access = Access::public_route;
    echo.handler = [](RequestContext& ctx) {
      auto h = std::make_shared<WsHandler>();
      h->on_message = [](const std::shared_ptr<WsConnection>& c, std::string_view text, bool) {
        c->send_text("echo: " + std::string(text));
      };
      return accept_websocket(ctx, h);
    };
    router->add(echo);
    RouteSpec push = echo;
    push.pattern = "/ws/push";
    push.handler = [this](RequestContext& ctx) {
      auto h = std::make_shared<WsHandler>();
      h->on_open = [this](const std::shared_ptr<WsConnection>& c) {
        // Sent from a thread that is not the connection's, then closed: all must arrive, in order.
        pusher_ = std::thread([c] {
          for (int i = 0; i < 200; ++i) c->send_text(std::to_string(i));
          c->close();
          EXPECT_FALSE(c->send_text("after close"));
        });
      };
      h->on_close = [this] { closed_.set_value(); };
      return accept_websocket(ctx, h);
    };
    router->add(push);
    RouteSpec hold = echo;
    hold.pattern = "/ws/hold";
    hold.handler = [](RequestContext& ctx) {
      return accept_websocket(ctx, std::make_shared<WsHandler>());
    };
    router->add(hold);
    auto pipeline = std::make_shared<Pipeline>("ws");
    pipeline->use(error_middleware());
    pipeline->set_handler(route_handler(router));
    ServerOptions options;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.shutdown_grace = 5s;
    server_ = std::make_unique<HttpServer>(options, pipeline);
    port_ = server_->start();
  }
  void TearDown() override {
    server_->stop();
    if (pusher_.joinable()) pusher_.join();
  }

  std::unique_ptr<websocket::stream<tcp::socket>> connect(const std::string& target) {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(ioc_);
    ws->next_layer().connect({asio::ip::make_address("127.0.0.1"), port_});
    ws->handshake("127.0.0.1", target);
    return ws;
  }
  static std::string read_text(websocket::stream<tcp::socket>& ws) {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  }

  asio::io_context ioc_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::thread pusher_;
  std::promise<void> closed_;
};

TEST_F(WebSocketTest, EchoesMessages) {
  auto ws = connect("/ws/echo");
  for (const std::string& msg : {std::string("hello"), std::string(), std::string(100000, 'x')}) {
    ws->write(asio::buffer(msg));
    EXPECT_EQ(read_text(*ws), "echo: " + msg);
  }
  ws->close(websocket::close_code::normal);
}

TEST_F(WebSocketTest, PushedMessagesArriveInOrderBeforeTheClose) {
  auto ws = connect("/ws/push");
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(read_text(*ws), std::to_string(i));
  }
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(closed_.get_future().wait_for(2s), std::future_status::ready);
}

TEST_F(WebSocketTest, PlainHttpToAWebSocketRouteGets426) {
  tcp::socket s(ioc_);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  std::string req = "GET /ws/echo HTTP/1.1\r\nHost: t\r\n\r\n";
  asio::write(s, asio::buffer(req));
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> res;
  beast::http::read(s, buffer, res);
  EXPECT_EQ(res.result(), Status::upgrade_required);
}

TEST_F(WebSocketTest, StopClosesOpenWebSocketsPromptly) {
  auto ws = connect("/ws/hold");
  // stop() sends a close frame and waits for the client's answer, so the client reads meanwhile.
  std::chrono::steady_clock::duration took{};
  std::thread stopper([this, &took] {
    auto start = std::chrono::steady_clock::now();
    server_->stop();
    took = std::chrono::steady_clock::now() - start;
  });
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  stopper.join();
  EXPECT_LT(took, 2s);  // well inside the 5 s grace period
}

}  // namespace
}  // namespace cp::http
