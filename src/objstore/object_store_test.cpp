#include "objstore/object_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "core/config.h"
#include "objstore/fs_object_store.h"
#include "objstore/s3_object_store.h"
#include "objstore/sha256.h"
#include "objstore/test_counting_store.h"

namespace cp::objstore {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("cp-objstore-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void expect_invalid(const std::string& key) {
  try {
    validate_key(key);
    ADD_FAILURE() << "accepted " << key;
  } catch (const ObjectStoreError& e) {
    EXPECT_EQ(e.code, "InvalidKey") << key;
  }
}

TEST(ValidateKey, AcceptsRelativePaths) {
  validate_key("apks/sha256/abc");
  validate_key("icons/a b (1).png");
  validate_key("x..y/..z/.hidden");
  validate_key(std::string(kMaxKeyLength, 'a'));
}

TEST(ValidateKey, RejectsTraversalAbsoluteAndOversized) {
  expect_invalid("");
  expect_invalid("/etc/passwd");
  expect_invalid("../x");
  expect_invalid("a/../../x");
  expect_invalid("a/..");
  expect_invalid("./a");
  expect_invalid("a//b");
  expect_invalid("a/");
  expect_invalid("a\\..\\b");
  expect_invalid(std::string("a\0b", 3));
  expect_invalid("a\nb");
  expect_invalid(std::string(kMaxKeyLength + 1, 'a'));
}

TEST(FilesystemObjectStore, PutGetHeadListDelete) {
  TempDir dir;
  FilesystemObjectStore store(dir.path);
  store.put_bytes("apps/a/1.apk", "hello", "application/vnd.android.package-archive");
  store.put_bytes("apps/b.png", "png!", "image/png");
  store.put_bytes("other", "x");
  EXPECT_EQ(store.get_bytes("apps/a/1.apk"), "hello");
  auto info = store.head("apps/a/1.apk");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 5u);
  EXPECT_EQ(info->content_type, "application/vnd.android.package-archive");
  EXPECT_EQ(store.head("other")->content_type, kDefaultContentType);
  EXPECT_FALSE(store.head("apps/missing"));

  auto listed = store.list("apps/");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].key, "apps/a/1.apk");
  EXPECT_EQ(listed[1].key, "apps/b.png");
  EXPECT_EQ(store.list("").size(), 3u);
  EXPECT_TRUE(store.list("nothing").empty());

  store.put_bytes("apps/b.png", "replaced", "image/png");  // overwrite
  EXPECT_EQ(store.get_bytes("apps/b.png"), "replaced");

  EXPECT_TRUE(store.remove("apps/a/1.apk"));
  EXPECT_FALSE(store.remove("apps/a/1.apk"));
  EXPECT_FALSE(fs::exists(dir.path / "data/apps/a"));  // empty directories are pruned
  EXPECT_FALSE(store.head("apps/a/1.apk"));
  try {
    store.get_bytes("apps/a/1.apk");
    ADD_FAILURE() << "no exception";
  } catch (const ObjectStoreError& e) {
    EXPECT_EQ(e.code, "NoSuchKey");
  }
  EXPECT_FALSE(store.presigned_get_url("apps/b.png", std::chrono::seconds(60)));
  EXPECT_THROW(store.put_bytes("../escape", "x"), ObjectStoreError);
  EXPECT_FALSE(fs::exists(dir.path / "escape"));
  EXPECT_TRUE(fs::is_empty(dir.path / "tmp"));  // no temporary files left behind
}

TEST(FilesystemObjectStore, StreamsAndFiles) {
  TempDir dir;
  FilesystemObjectStore store(dir.path / "store");
  std::string big(3 << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : big) c = static_cast<char>(rng());
  std::istringstream in(big);
  auto info = store.put_stream("big.bin", in, "application/octet-stream");
  EXPECT_EQ(info.size, big.size());
  EXPECT_EQ(info.etag, "\"" + sha256_hex(big) + "\"");
  store.get_file("big.bin", dir.path / "out.bin");
  EXPECT_EQ(sha256_file_hex(dir.path / "out.bin"), sha256_hex(big));
  EXPECT_FALSE(fs::exists(dir.path / "out.bin.part"));
  store.put_file("copy.bin", dir.path / "out.bin");
  EXPECT_EQ(store.get_bytes("copy.bin"), big);
  EXPECT_THROW(store.get_file("nope", dir.path / "x"), ObjectStoreError);
  EXPECT_THROW(store.put_file("k", dir.path / "does-not-exist"), ObjectStoreError);
  // A key that is already a prefix of other objects cannot become an object itself.
  store.put_bytes("p/q", "1");
  EXPECT_THROW(store.put_bytes("p", "2"), ObjectStoreError);
}

TEST(ContentAddressed, SameContentStoredOnce) {
  TempDir dir;
  FilesystemObjectStore fs_store(dir.path / "store");
  CountingStore store(fs_store);
  std::ofstream(dir.path / "a.apk") << "apk bytes";
  std::ofstream(dir.path / "b.apk") << "apk bytes";
  std::ofstream(dir.path / "c.apk") << "other bytes";
  std::string k1 = put_content_addressed(store, "apks", dir.path / "a.apk");
  EXPECT_EQ(k1, "apks/sha256/" + sha256_hex("apk bytes"));
  EXPECT_EQ(put_content_addressed(store, "apks", dir.path / "b.apk"), k1);
  EXPECT_EQ(store.puts, 1);
  EXPECT_NE(put_content_addressed(store, "apks", dir.path / "c.apk"), k1);
  EXPECT_EQ(store.puts, 2);
  EXPECT_EQ(fs_store.get_bytes(k1), "apk bytes");
}

TEST(S3Addressing, PathAndVirtualHostStyle) {
  S3Config c;
  c.endpoint = "http://s3.example.test:9000";
  c.bucket = "apps";
  c.access_key = c.secret_key = "k";
  S3ObjectStore path_style(c);
  EXPECT_EQ(path_style.endpoint().key(), "s3.example.test:9000");
  EXPECT_EQ(path_style.object_path("a/b c"), "/apps/a/b c");
  auto url = path_style.presigned_get_url("a/b c", std::chrono::seconds(300));
  ASSERT_TRUE(url);
  EXPECT_EQ(url->rfind("http://s3.example.test:9000/apps/a/b%20c?X-Amz-Algorithm=AWS4-HMAC-SHA256&", 0),
            0u) << *url;
  EXPECT_NE(url->find("&X-Amz-Expires=300&"), std::string::npos);
  EXPECT_NE(url->find("&X-Amz-Signature="), std::string::npos);
  c.path_style = false;
  S3ObjectStore vhost(c);
  EXPECT_EQ(vhost.endpoint().key(), "apps.s3.example.test:9000");
  EXPECT_EQ(vhost.object_path("a/b c"), "/a/b c");
  EXPECT_EQ(vhost.presigned_get_url("k", std::chrono::seconds(1))->rfind("http://apps.s3.example.test:9000/k?", 0), 0u);
}

TEST(MakeObjectStore, FromConfig) {
  TempDir dir;
  Config config;
  config.set("objects.dir", (dir.path / "objs").string());
  auto store = make_object_store(config);
  store->put_bytes("k", "v");
  EXPECT_TRUE(fs::exists(dir.path / "objs/data/k"));
  config.set("objects.backend", "s3");
  EXPECT_THROW(make_object_store(config), std::invalid_argument);  // no endpoint/bucket
  config.set("objects.backend", "ftp");
  EXPECT_THROW(make_object_store(config), std::invalid_argument);
}

}  // namespace
}  // namespace cp::objstore
