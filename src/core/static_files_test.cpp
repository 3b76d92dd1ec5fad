// Static files never escape their root, whatever the spelling of "..", and HEAD answers carry
// the GET's Content-Length.
#include "core/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cp::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("cp_static_test_" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "www" / "assets");
    fs::create_directories(base_ / "www-secret");
    write(base_ / "www" / "index.html", "<html>shell</html>");
    write(base_ / "www" / "assets" / "app.1234.js", "console.log(1)");
    write(base_ / "www" / "a file.txt", "spaced");
    write(base_ / "secret.txt", "TOP SECRET");
    write(base_ / "www-secret" / "key.txt", "TOP SECRET");
    fs::create_symlink(base_ / "secret.txt", base_ / "www" / "link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  std::optional<Response> get(const StaticFiles& files, std::string target,
                              Method method = Method::get) {
    request_ = Request{method, target, 11};
    RequestContext ctx{request_, {}, {}, {}, {}, {}, {}};
    return files.serve(ctx);
  }

  fs::path base_;
  Request request_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  StaticFiles files(base_ / "www", "/admin", false);
  auto res = get(files, "/admin/assets/app.1234.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "console.log(1)");
  EXPECT_EQ((*res)[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_NE((*res)[bhttp::field::cache_control].find("immutable"), std::string::npos);
  res = get(files, "/admin/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "<html>shell</html>");
  EXPECT_EQ((*res)[bhttp::field::cache_control], "no-cache");
  res = get(files, "/admin/a%20file.txt");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "spaced");
}

TEST_F(StaticFilesTest, RefusesTraversalInAnySpelling) {
  StaticFiles files(base_ / "www", "/admin", true);
  for (const char* target :
       {"/admin/../secret.txt", "/admin/assets/../../secret.txt", "/admin/%2e%2e/secret.txt",
        "/admin/%2E%2E/secret.txt", "/admin/..%2fsecret.txt", "/admin/%2e%2e%2fsecret.txt",
        "/admin/assets/..%2F..%2Fsecret.txt", "/admin/../www-secret/key.txt",
        "/admin/%2e%2e/www-secret/key.txt", "/admin//../secret.txt", "/admin/link.txt",
        "/admin/secret.txt%00.html", "/admin/%zz"}) {
    auto res = get(files, target);
    if (res) {
      EXPECT_EQ(res->body().find("TOP SECRET"), std::string::npos) << target;
    }
  }
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForExtensionlessPaths) {
  StaticFiles spa(base_ / "www", "/portal", true);
  auto res = get(spa, "/portal/devices/dev_1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "<html>shell</html>");
  EXPECT_FALSE(get(spa, "/portal/assets/missing.js"));
  StaticFiles plain(base_ / "www", "/portal", false);
  EXPECT_FALSE(get(plain, "/portal/devices/dev_1"));
}

TEST_F(StaticFilesTest, OnlyPathsUnderThePrefixAndOnlyGetOrHead) {
  StaticFiles files(base_ / "www", "/app", true);
  EXPECT_FALSE(get(files, "/apple"));
  EXPECT_FALSE(get(files, "/api/v1/users"));
  EXPECT_FALSE(get(files, "/app/index.html", Method::post));
  EXPECT_TRUE(get(files, "/app"));
}

TEST_F(StaticFilesTest, HeadCarriesTheGetContentLength) {
  StaticFiles files(base_ / "www", "/admin", false);
  auto head = get(files, "/admin/assets/app.1234.js", Method::head);
  ASSERT_TRUE(head);
  EXPECT_TRUE(head->body().empty());
  EXPECT_EQ((*head)[bhttp::field::content_length], "14");
  EXPECT_EQ((*head)[bhttp::field::content_type], "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, MissingRootIsUnavailable) {
  StaticFiles files(base_ / "nope", "/x", true);
  EXPECT_FALSE(files.available());
  EXPECT_FALSE(get(files, "/x/index.html"));
  EXPECT_TRUE(StaticFiles(base_ / "www", "/x", true).available());
}

TEST(ContentTypeTest, KnownExtensions) {
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace cp::http
