// Against a real S3 server: npm s3rver started by scripts/test-servers/s3.sh (fixture "s3"),
// which writes CP_TEST_ENV_DIR/s3.env with CP_TEST_S3_ENDPOINT, _BUCKET, _ACCESS_KEY, _SECRET_KEY.
#include <netdb.h>

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <fstream>
#include <map>
#include <random>

#include "core/http_client.h"
#include "objstore/s3_object_store.h"
#include "objstore/sha256.h"
#include "objstore/test_counting_store.h"

namespace cp::objstore {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> load_env() {
  const char* dir = std::getenv("CP_TEST_ENV_DIR");
  std::map<std::string, std::string> env;
  std::ifstream in(std::string(dir ? dir : "") + "/s3.env");
  std::string line;
  while (std::getline(in, line)) {
    if (auto eq = line.find('='); eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

class S3ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = load_env();
    ASSERT_TRUE(env_.count("CP_TEST_S3_ENDPOINT")) << "no s3.env: is the s3 fixture running?";
    config_.endpoint = env_["CP_TEST_S3_ENDPOINT"];
    config_.bucket = env_["CP_TEST_S3_BUCKET"];
    config_.access_key = env_["CP_TEST_S3_ACCESS_KEY"];
    config_.secret_key = env_["CP_TEST_S3_SECRET_KEY"];
    std::random_device rd;
    prefix_ = "t" + std::to_string(rd()) + "/";
    tmp_ = fs::temp_directory_path() / ("cp-s3test-" + std::to_string(rd()));
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }
  std::map<std::string, std::string> env_;
  S3Config config_;
  std::string prefix_;
  fs::path tmp_;
};

http::Response fetch_url(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  EXPECT_TRUE(u.has_value()) << url;
  http::Endpoint ep{std::string(u->host()), u->port_number()};
  http::Request req{http::Method::get, std::string(u->encoded_target()), 11};
  http::HttpClient client;
  return client.send(ep, std::move(req));
}

void exercise_basic_operations(ObjectStore& store, const std::string& prefix) {
  store.put_bytes(prefix + "a/one.txt", "first object", "text/plain");
  store.put_bytes(prefix + "a/two words.bin", std::string("\0\1\2", 3));
  store.put_bytes(prefix + "b/three", "3");
  EXPECT_EQ(store.get_bytes(prefix + "a/one.txt"), "first object");
  EXPECT_EQ(store.get_bytes(prefix + "a/two words.bin"), std::string("\0\1\2", 3));
  auto info = store.head(prefix + "a/one.txt");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 12u);
  EXPECT_EQ(info->content_type.rfind("text/plain", 0), 0u) << info->content_type;
  EXPECT_FALSE(store.head(prefix + "missing"));

  auto listed = store.list(prefix + "a/");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].key, prefix + "a/one.txt");
  EXPECT_EQ(listed[0].size, 12u);
  EXPECT_EQ(listed[1].key, prefix + "a/two words.bin");
  EXPECT_EQ(store.list(prefix).size(), 3u);

  EXPECT_TRUE(store.remove(prefix + "a/one.txt"));
  EXPECT_FALSE(store.remove(prefix + "a/one.txt"));
  EXPECT_FALSE(store.head(prefix + "a/one.txt"));
  try {
    store.get_bytes(prefix + "a/one.txt");
    ADD_FAILURE() << "got a deleted object";
  } catch (const ObjectStoreError& e) {
    EXPECT_EQ(e.code, "NoSuchKey") << e.what();
    EXPECT_EQ(e.http_status, 404);
  }
}

TEST_F(S3ServerTest, PutGetHeadListDeletePathStyle) {
  S3ObjectStore store(config_);
  exercise_basic_operations(store, prefix_);
}

TEST_F(S3ServerTest, WrongCredentialsGiveTheS3ErrorCode) {
  config_.access_key = "NOBODY";
  S3ObjectStore store(config_);
  try {
    store.put_bytes(prefix_ + "x", "x");
    ADD_FAILURE() << "accepted an unknown access key";
  } catch (const ObjectStoreError& e) {
    EXPECT_EQ(e.code, "InvalidAccessKeyId") << e.what();
    EXPECT_EQ(e.http_status, 403);
  }
}

TEST_F(S3ServerTest, MultipartUploadOfALargeFileRoundTrips) {
  // 64 MiB + 1 MiB + 123 bytes of random data, written and hashed in 1 MiB chunks.
  const size_t size = (65u << 20) + 123;
  fs::path src = tmp_ / "big.bin";
  std::string expected;
  {
    std::ofstream out(src, std::ios::binary);
    std::mt19937_64 rng(std::random_device{}());
    Sha256 hash;
    std::string chunk;
    for (size_t left = size; left > 0;) {
      size_t n = std::min<size_t>(left, 1u << 20);
      chunk.resize(n);
      for (size_t i = 0; i < n; ++i) chunk[i] = static_cast<char>(rng() >> 56);
      hash.update(chunk);
      out.write(chunk.data(), static_cast<std::streamsize>(n));
      left -= n;
    }
    expected = hash.finish_hex();
  }
  S3ObjectStore store(config_);
  auto put = store.put_file(prefix_ + "big.bin", src);
  EXPECT_EQ(put.size, size);
  // Went up as one multipart upload of 16 MiB parts (s3rver's ETag does not show the count).
  EXPECT_EQ(store.stats().multipart_uploads, 1u);
  EXPECT_EQ(store.stats().parts_uploaded, 5u);
  auto info = store.head(prefix_ + "big.bin");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, size);
  fs::path dst = tmp_ / "down.bin";
  auto got = store.get_file(prefix_ + "big.bin", dst);
  EXPECT_EQ(got.size, size);
  EXPECT_EQ(fs::file_size(dst), size);
  EXPECT_EQ(sha256_file_hex(dst), expected);
}

TEST_F(S3ServerTest, PresignedGetUrl) {
  S3ObjectStore store(config_);
  const std::string key = prefix_ + "dir/pre signed.txt";
  store.put_bytes(key, "presigned bytes", "text/plain");
  auto url = store.presigned_get_url(key, std::chrono::seconds(300));
  ASSERT_TRUE(url);
  auto res = fetch_url(*url);
  EXPECT_EQ(res.result_int(), 200u) << res.body();
  EXPECT_EQ(res.body(), "presigned bytes");

  // Tampered credential: refused.
  std::string bad = *url;
  auto pos = bad.find(config_.access_key + "%2F");
  ASSERT_NE(pos, std::string::npos);
  bad.replace(pos, config_.access_key.size(), "NOBODY");
  res = fetch_url(bad);
  EXPECT_EQ(res.result_int(), 403u) << res.body();
  EXPECT_NE(res.body().find("InvalidAccessKeyId"), std::string::npos) << res.body();

  // Expired: the same URL signed 2013-05-24 with a 1 s lifetime.
  std::string host = store.endpoint().key();
  auto query = sigv4::presign_query("GET", host, store.object_path(key),
                                    sigv4::Credentials{config_.access_key, config_.secret_key,
                                                       config_.region, "s3"},
                                    "20130524T000000Z", std::chrono::seconds(1));
  std::string old = "http://" + host + sigv4::uri_encode(store.object_path(key), false) + "?" +
                    sigv4::canonical_query(query);
  res = fetch_url(old);
  EXPECT_EQ(res.result_int(), 403u) << res.body();
  // Note: s3rver 3.7.1 does not verify V4 signature values (lib/middleware/authentication.js
  // accepts any well-formed V4 signature), so a tampered X-Amz-Signature cannot be refused by
  // this server; signature correctness is covered by the AWS test vectors in sigv4_test.cpp.
}

TEST_F(S3ServerTest, VirtualHostStyle) {
  // s3rver routes <bucket>.s3.localhost when started with --service-endpoint localhost; our
  // HttpClient connects to the Host it sends, so the name must resolve on this machine.
  auto ep = http::parse_endpoint(config_.endpoint);
  std::string vhost = config_.bucket + ".s3.localhost";
  addrinfo* res = nullptr;
  if (::getaddrinfo(vhost.c_str(), nullptr, nullptr, &res) != 0) {
    GTEST_SKIP() << vhost << " does not resolve here; virtual-host style is covered by unit tests";
  }
  ::freeaddrinfo(res);
  config_.endpoint = "http://s3.localhost:" + std::to_string(ep.port);
  config_.path_style = false;
  S3ObjectStore store(config_);
  exercise_basic_operations(store, prefix_);
}

TEST_F(S3ServerTest, ContentAddressedPutStoresOnce) {
  S3ObjectStore s3(config_);
  CountingStore store(s3);
  std::ofstream(tmp_ / "a.apk") << "same apk";
  std::ofstream(tmp_ / "b.apk") << "same apk";
  std::string k1 = put_content_addressed(store, prefix_ + "apks", tmp_ / "a.apk");
  std::string k2 = put_content_addressed(store, prefix_ + "apks", tmp_ / "b.apk");
  EXPECT_EQ(k1, k2);
  EXPECT_EQ(k1, prefix_ + "apks/sha256/" + sha256_hex("same apk"));
  EXPECT_EQ(store.puts, 1);
  EXPECT_EQ(s3.list(prefix_ + "apks/").size(), 1u);
  EXPECT_EQ(s3.get_bytes(k1), "same apk");
}

}  // namespace
}  // namespace cp::objstore
