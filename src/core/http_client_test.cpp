// The blocking client against scripted servers: keep-alive pooling, the single retry on a dead
// pooled connection (and no retry when it would be unsafe), timeouts, HEAD responses.
#include "core/http_client.h"

#include <gtest/gtest.h>

#include "core/test_sockets.h"

namespace cp::http {
namespace {

using namespace std::chrono_literals;
using test::ScriptedServer;

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

// Answers every request on every connection with 200 "ok", counting requests.
struct KeepAliveServer {
  std::atomic<int> requests{0};
  ScriptedServer server{[this](int fd, int) {
    while (!ScriptedServer::read_request(fd).empty()) {
      requests++;
      ScriptedServer::write_all(fd, kOk);
    }
  }};
};

Request get(std::string target = "/") {
  return Request{Method::get, target, 11};
}

TEST(HttpClientTest, PoolsKeepAliveConnections) {
  KeepAliveServer s;
  HttpClient client;
  Endpoint ep{"127.0.0.1", s.server.port()};
  for (int i = 0; i < 3; ++i) {
    auto res = client.send(ep, get());
    EXPECT_EQ(res.result(), Status::ok);
    EXPECT_EQ(res.body(), "ok");
  }
  EXPECT_EQ(s.requests, 3);
  EXPECT_EQ(s.server.accepted(), 1);
}

TEST(HttpClientTest, SendsBodyAndHostHeader) {
  std::string seen;
  ScriptedServer s([&seen](int fd, int) {
    seen = ScriptedServer::read_request(fd);
    ScriptedServer::write_all(fd, kOk);
  });
  HttpClient client;
  Request req{Method::post, "/things", 11};
  req.body() = R"({"a":1})";
  client.send({"127.0.0.1", s.port()}, req);
  EXPECT_NE(seen.find("POST /things HTTP/1.1\r\n"), std::string::npos);
  EXPECT_NE(seen.find("Host: 127.0.0.1:" + std::to_string(s.port())), std::string::npos);
  EXPECT_NE(seen.find("Content-Length: 7\r\n\r\n{\"a\":1}"), std::string::npos);
}

// Connection 0 answers once, then takes the next request and closes without a byte of answer:
// the race of a server closing an idle keep-alive connection. Later connections behave.
struct ClosesSecondRequestServer {
  std::atomic<int> requests{0};
  ScriptedServer server{[this](int fd, int index) {
    while (!ScriptedServer::read_request(fd).empty()) {
      if (++requests == 2 && index == 0) return;
      ScriptedServer::write_all(fd, kOk);
    }
  }};
};

TEST(HttpClientTest, RetriesOnceWhenAPooledConnectionDiesBeforeAnswering) {
  for (Method method : {Method::get, Method::post}) {
    ClosesSecondRequestServer s;
    HttpClient client;
    Endpoint ep{"127.0.0.1", s.server.port()};
    ASSERT_EQ(client.send(ep, get()).result(), Status::ok);
    Request req{method, "/", 11};
    auto res = client.send(ep, req);  // pooled connection dies; a fresh one answers
    EXPECT_EQ(res.body(), "ok");
    EXPECT_EQ(s.server.accepted(), 2);
    EXPECT_EQ(s.requests, 3);
  }
}

TEST(HttpClientTest, DoesNotRetryANonIdempotentRequestOnAFreshConnection) {
  std::atomic<int> requests{0};
  ScriptedServer s([&requests](int fd, int) {
    if (!ScriptedServer::read_request(fd).empty()) requests++;  // and close without answering
  });
  HttpClient client;
  Request post{Method::post, "/charge", 11};
  post.body() = "{}";
  EXPECT_THROW(client.send({"127.0.0.1", s.port()}, post), HttpClientError);
  EXPECT_EQ(requests, 1);  // the charge was not sent twice
}

TEST(HttpClientTest, DoesNotRetryOnceResponseBytesArrived) {
  std::atomic<int> requests{0};
  ScriptedServer s([&requests](int fd, int) {
    if (ScriptedServer::read_request(fd).empty()) return;
    requests++;
    ScriptedServer::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
    std::this_thread::sleep_for(20ms);
    ScriptedServer::reset(fd);  // RST after part of the answer
  });
  HttpClient client;
  EXPECT_THROW(client.send({"127.0.0.1", s.port()}, get()), HttpClientError);
  EXPECT_EQ(requests, 1);
}

TEST(HttpClientTest, TimeoutBoundsTheWholeExchange) {
  ScriptedServer s([](int fd, int) {
    ScriptedServer::read_request(fd);
    std::this_thread::sleep_for(700ms);  // never answers in time
  });
  HttpClient client;
  auto start = std::chrono::steady_clock::now();
  try {
    client.send({"127.0.0.1", s.port()}, get(), 200ms);
    FAIL() << "expected a timeout";
  } catch (const HttpClientError& e) {
    EXPECT_EQ(e.kind, HttpClientError::Kind::timeout);
  }
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 500ms);
}

TEST(HttpClientTest, ConnectionRefusedIsAConnectError) {
  uint16_t port;
  {
    KeepAliveServer s;  // take a free port, then free it
    port = s.server.port();
  }
  HttpClient client;
  try {
    client.send({"127.0.0.1", port}, get());
    FAIL();
  } catch (const HttpClientError& e) {
    EXPECT_EQ(e.kind, HttpClientError::Kind::connect);
  }
}

TEST(HttpClientTest, HeadResponseHasNoBodyDespiteContentLength) {
  ScriptedServer s([](int fd, int) {
    for (int i = 0; i < 2 && !ScriptedServer::read_request(fd).empty(); ++i) {
      ScriptedServer::write_all(fd, i == 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n" : kOk);
    }
  });
  HttpClient client;
  Endpoint ep{"127.0.0.1", s.port()};
  auto start = std::chrono::steady_clock::now();
  auto head = client.send(ep, Request{Method::head, "/file", 11}, 1s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  EXPECT_EQ(head[bhttp::field::content_length], "14");
  EXPECT_TRUE(head.body().empty());
  EXPECT_EQ(client.send(ep, get()).body(), "ok");  // the connection stayed in sync
  EXPECT_EQ(s.accepted(), 1);
}

TEST(HttpClientTest, ParseEndpoint) {
  auto ep = parse_endpoint("http://user-svc:30001");
  EXPECT_EQ(ep.host, "user-svc");
  EXPECT_EQ(ep.port, 30001);
  EXPECT_EQ(parse_endpoint("http://h").port, 80);
  EXPECT_THROW(parse_endpoint("not a url"), std::invalid_argument);
}

}  // namespace
}  // namespace cp::http
