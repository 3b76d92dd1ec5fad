// Upload and download through the S3 object store against s3rver (fixture s3): a small APK and
// a > 64 MB one (multipart upload), downloads through presigned URLs made on demand, sha256
// checked on the bytes that come back.
#include <boost/url/parse.hpp>
#include <cstring>
#include <random>

#include "core/digest.h"
#include "objstore/s3_object_store.h"
#include "services/app/app_itest_test_support.h"

namespace cp::app {
namespace {

using namespace testing;

std::map<std::string, std::string> s3_env() {
  std::map<std::string, std::string> env;
  const char* dir = std::getenv("CP_TEST_ENV_DIR");
  std::ifstream in(std::string(dir ? dir : "") + "/s3.env");
  for (std::string line; std::getline(in, line);) {
    if (auto eq = line.find('='); eq != std::string::npos)
      env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

class AppS3Itest : public AppItest {
 protected:
  void SetUp() override {
    AppItest::SetUp();
    env_ = s3_env();
    ASSERT_TRUE(env_.count("CP_TEST_S3_ENDPOINT")) << "no s3.env: is the s3 fixture running?";
    objstore::S3Config c;
    c.endpoint = env_["CP_TEST_S3_ENDPOINT"];
    c.bucket = env_["CP_TEST_S3_BUCKET"];
    c.access_key = env_["CP_TEST_S3_ACCESS_KEY"];
    c.secret_key = env_["CP_TEST_S3_SECRET_KEY"];
    s3_ = std::make_unique<objstore::S3ObjectStore>(c);
    start_cloudphone({{"OBJECTS_BACKEND", "s3"},
                      {"OBJECTS_S3_ENDPOINT", c.endpoint},
                      {"OBJECTS_S3_BUCKET", c.bucket},
                      {"OBJECTS_S3_ACCESS_KEY", c.access_key},
                      {"OBJECTS_S3_SECRET_KEY", c.secret_key}});
  }
  // Follows the 302 of .../download to the presigned URL and returns what S3 serves there.
  std::string download(const std::string& token, const std::string& app_id, int64_t code) {
    auto res =
        get("/api/v1/apps/" + app_id + "/versions/" + std::to_string(code) + "/download", token);
    EXPECT_EQ(res.result(), Status::found) << res.body();
    std::string location(res[http::bhttp::field::location]);
    EXPECT_NE(location.find("X-Amz-Signature="), std::string::npos) << location;
    auto url = boost::urls::parse_uri(location);
    EXPECT_TRUE(url.has_value()) << location;
    if (!url) return "";
    http::HttpClient::Options o;
    o.max_response_bytes = 256u << 20;
    http::HttpClient client(o);
    http::Request req{Method::get, std::string(url->encoded_resource()), 11};
    req.set(http::bhttp::field::host, url->encoded_host_and_port());
    auto got = client.send({std::string(url->host()), static_cast<uint16_t>(url->port_number())},
                           std::move(req), 120s);
    EXPECT_EQ(got.result(), Status::ok) << got.body().substr(0, 300);
    return std::move(got.body());
  }

  std::map<std::string, std::string> env_;
  std::unique_ptr<objstore::S3ObjectStore> s3_;
};

TEST_F(AppS3Itest, UploadAndDownloadThroughS3IncludingAMultipartApk) {
  auto alice = login_new_user("alice");

  auto basic = read_file(apk("basic.apk"));
  auto up = upload(alice, basic);
  ASSERT_EQ(up.result(), Status::created) << up.body();
  std::string id(object(up).at("id").as_string());
  auto key = "apps/apk/sha256/" + sha256_hex(basic);
  auto head = s3_->head(key);
  ASSERT_TRUE(head) << key << " is not in the bucket";
  EXPECT_EQ(head->size, basic.size());
  EXPECT_TRUE(download(alice, id, 42) == basic);
  EXPECT_EQ(get("/api/v1/apps/" + id + "/icon", alice).result(), Status::ok);

  // > 64 MB: big.apk's entries plus 70 MB of random asset, stored (incompressible anyway).
  auto entries = apk::testing::unzip_all(apk("big.apk"));
  std::vector<uint8_t> blob(70u << 20);
  std::mt19937_64 rng(std::random_device{}());
  for (size_t i = 0; i + 8 <= blob.size(); i += 8) {
    uint64_t r = rng();
    std::memcpy(blob.data() + i, &r, 8);
  }
  entries.emplace_back("assets/huge.bin", std::move(blob));
  auto zip = apk::testing::make_zip(entries, true);
  std::string huge(reinterpret_cast<const char*>(zip.data()), zip.size());
  zip.clear();
  ASSERT_GT(huge.size(), 64u << 20);
  auto sha = sha256_hex(huge);
  auto big = upload(alice, huge);
  ASSERT_EQ(big.result(), Status::created) << big.body();
  auto version = object(big).at("versions").as_array()[0].as_object();
  EXPECT_EQ(version.at("apk_sha256").as_string(), sha);
  auto big_key = "apps/apk/sha256/" + sha;
  auto big_head = s3_->head(big_key);
  ASSERT_TRUE(big_head);
  EXPECT_EQ(big_head->size, huge.size());
  // Above objects.s3.part_size (16 MiB) the store uploads in parts; that the bytes go up as
  // one multipart upload of 16 MiB parts is counted in objstore's s3_server_test (s3rver's
  // ETag does not show it), here the whole path from HTTP upload to presigned GET is checked.
  EXPECT_GT(big_head->size, 4u * (16u << 20));
  auto back = download(alice, std::string(object(big).at("id").as_string()),
                       version.at("version_code").as_int64());
  EXPECT_EQ(back.size(), huge.size());
  EXPECT_EQ(sha256_hex(back), sha);
  s3_->remove(big_key);  // 70 MB of random bytes are never shared with another run
}

}  // namespace
}  // namespace cp::app
