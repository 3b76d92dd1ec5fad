// Raw uploads under an upload prefix go to a spool file, not memory: size and SHA-256 arrive
// with the request, chunked bodies work, the limit still holds, JSON stays in memory, the file
// is removed after the request, and HttpClient streams a spooled file to another server.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>

#include "core/digest.h"
#include "core/http_client.h"
#include "core/server.h"
#include "core/spooled_body.h"
#include "core/test_sockets.h"

namespace cp::http {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class SpooledUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spool_ = fs::temp_directory_path() / ("cp-spool-test-" + std::to_string(::getpid()));
    fs::remove_all(spool_);
    auto router = std::make_shared<Router>();
    RouteSpec spec;
    spec.method = Method::post;
    spec.pattern = "/up/file";
    spec.access = Access::public_route;
    spec.handler = [this](RequestContext& ctx) {
      std::lock_guard lock(mu_);
      seen_path_ = ctx.upload ? ctx.upload->path : fs::path();
      std::string answer =
          ctx.upload ? "spooled " + std::to_string(ctx.upload->size) + " " + ctx.upload->sha256
                     : "memory " + std::to_string(ctx.request.body().size());
      return text_response(Status::ok, answer, "text/plain");
    };
    router->add(std::move(spec));
    auto pipeline = std::make_shared<Pipeline>("test");
    pipeline->use(error_middleware());
    pipeline->set_handler(route_handler(router));
    ServerOptions options;
    options.io_threads = 2;
    options.body_limit = 1024;
    options.upload_body_limit = 8 << 20;
    options.upload_prefixes = {"/up/"};
    options.spool_dir = spool_.string();
    server_ = std::make_unique<HttpServer>(options, pipeline);
    port_ = server_->start();
  }
  void TearDown() override {
    server_->stop();
    fs::remove_all(spool_);
  }
  std::string post(const std::string& content_type, const std::string& body) {
    HttpClient client;
    Request req{Method::post, "/up/file", 11};
    req.set(bhttp::field::content_type, content_type);
    req.body() = body;
    auto res = client.send(Endpoint{"127.0.0.1", port_}, std::move(req));
    return std::to_string(res.result_int()) + " " + res.body();
  }
  size_t files_in_spool() const {
    if (!fs::exists(spool_)) return 0;
    return static_cast<size_t>(std::distance(fs::directory_iterator(spool_), {}));
  }

  fs::path spool_;
  std::mutex mu_;
  fs::path seen_path_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
};

TEST_F(SpooledUploadTest, RawBodyIsSpooledWithSizeAndSha256AndRemovedAfterwards) {
  std::string body(3 << 20, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 + (i >> 11));
  auto answer = post("application/vnd.android.package-archive", body);
  EXPECT_EQ(answer, "200 spooled " + std::to_string(body.size()) + " " + sha256_hex(body));
  ASSERT_FALSE(seen_path_.empty());
  EXPECT_FALSE(fs::exists(seen_path_)) << "the spool file outlives the request";
  EXPECT_EQ(files_in_spool(), 0u);
}

TEST_F(SpooledUploadTest, JsonBodiesStayInMemory) {
  EXPECT_EQ(post("application/json", R"({"a":1})"), "200 memory 7");
}

TEST_F(SpooledUploadTest, ChunkedBodyIsSpooled) {
  test::RawClient c(port_);
  c.send(
      "POST /up/file HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  auto res = c.read_response();
  EXPECT_NE(res.find("spooled 11 " + sha256_hex("hello world")), std::string::npos) << res;
}

TEST_F(SpooledUploadTest, LimitStillAppliesToChunkedSpooledBodiesAndNothingIsLeft) {
  test::RawClient c(port_);
  std::string chunk(1 << 20, 'x');
  std::string head =
      "POST /up/file HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  c.send(head);
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 10; ++i) {
    if (!c.send(std::string(size_line) + chunk + "\r\n")) break;
  }
  auto res = c.read_response();
  EXPECT_NE(res.find(" 413 "), std::string::npos) << res.substr(0, 200);
  for (int i = 0; i < 50 && files_in_spool() != 0; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(files_in_spool(), 0u);
}

TEST_F(SpooledUploadTest, HttpClientStreamsASpooledFileToTheServer) {
  std::string body(5 << 20, 'q');
  body[12345] = 'Z';
  auto upload = SpooledBody::from_bytes(body, spool_ / "client");
  EXPECT_EQ(upload->sha256, sha256_hex(body));
  HttpClient client;
  Request req{Method::post, "/up/file", 11};
  req.set(bhttp::field::content_type, "application/octet-stream");
  auto res = client.send(Endpoint{"127.0.0.1", port_}, std::move(req), 5s, upload.get());
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "spooled " + std::to_string(body.size()) + " " + sha256_hex(body));
}

}  // namespace
}  // namespace cp::http
