// The reader against APKs built by aapt (fixture `testapks`): every field must equal what
// `aapt dump badging` reports for the same file.
#include "android/apk/apk_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "android/apk/apk_test_support.h"

namespace cp::apk {
namespace {

using testing::entry;
using testing::read_file;
using testing::test_apk_dir;
using testing::unzip_all;

// What one `aapt dump badging` output says.
struct Badging {
  std::string package, version_code, version_name, sdk, target_sdk, label, launchable;
  std::vector<std::string> permissions;
  std::map<int, std::string> icons;  // density -> path
};

// The value of ` key='value'` in a badging line, empty when absent.
std::string quoted_field(const std::string& line, const std::string& key) {
  std::string marker = " " + key + "='";
  size_t start = line.find(marker);
  if (start == std::string::npos) {
    return std::string();
  }
  start += marker.size();
  size_t end = line.find('\'', start);
  return end == std::string::npos ? std::string() : line.substr(start, end - start);
}

std::string quoted_value(const std::string& line) {
  size_t open = line.find('\'');
  size_t close = line.rfind('\'');
  return open == std::string::npos || close <= open ? std::string()
                                                    : line.substr(open + 1, close - open - 1);
}

Badging parse_badging(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("missing " + path.string());
  }
  Badging b;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("package:")) {
      b.package = quoted_field(line, "name");
      b.version_code = quoted_field(line, "versionCode");
      b.version_name = quoted_field(line, "versionName");
    } else if (line.starts_with("sdkVersion:")) {
      b.sdk = quoted_value(line);
    } else if (line.starts_with("targetSdkVersion:")) {
      b.target_sdk = quoted_value(line);
    } else if (line.starts_with("uses-permission:")) {
      b.permissions.push_back(quoted_field(line, "name"));
    } else if (line.starts_with("application-label:")) {
      b.label = quoted_value(line);
    } else if (line.starts_with("application-icon-")) {
      int density = std::stoi(line.substr(line.find('-', 12) + 1));
      b.icons[density] = quoted_value(line);
    } else if (line.starts_with("launchable-activity:")) {
      b.launchable = quoted_field(line, "name");
    }
  }
  return b;
}

// Where aapt 10 cannot tell us the answer, the expectation is written here, with the reason.
struct Override {
  std::string launchable;  // aapt 10 ignores <activity-alias> launchers; Android does not
  std::string icon_path;   // aapt names the adaptive XML icon; we fall back to its best PNG
};
const std::map<std::string, Override> kOverrides = {
    {"alias.apk", {"com.example.alias.LauncherAlias", "res/mipmap-xhdpi-v4/ic_launcher.png"}},
    // Only an adaptive icon: we take the best PNG of its foreground layer.
    {"adaptive.apk", {"com.example.adaptive.ui.Home", "res/drawable-xhdpi-v4/fg.png"}},
};

class ApkReaderTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ApkReaderTest, MatchesAaptBadging) {
  std::filesystem::path apk = test_apk_dir() / GetParam();
  Badging expected = parse_badging(apk.string() + ".badging.txt");
  ASSERT_FALSE(expected.package.empty()) << "badging file has no package line";
  ApkInfo info = read_apk(apk);

  EXPECT_EQ(info.package, expected.package);
  EXPECT_EQ(std::to_string(info.version_code), expected.version_code);
  EXPECT_EQ(info.version_name, expected.version_name);
  EXPECT_EQ(std::to_string(info.min_sdk), expected.sdk);
  // aapt prints targetSdkVersion only when set; absent means "same as minSdk".
  std::string target = info.target_sdk == 0 ? "" : std::to_string(info.target_sdk);
  EXPECT_EQ(target, expected.target_sdk);
  EXPECT_EQ(info.permissions, expected.permissions);
  EXPECT_EQ(info.label, expected.label);

  auto override = kOverrides.find(GetParam());
  std::string want_activity = expected.launchable;
  std::string want_icon = expected.icons.empty() ? "" : expected.icons.rbegin()->second;
  if (override != kOverrides.end()) {
    want_activity = override->second.launchable;
    want_icon = override->second.icon_path;
  }
  EXPECT_EQ(info.launchable_activity, want_activity);
  EXPECT_EQ(info.icon_path, want_icon);
  ASSERT_FALSE(info.icon_png.empty());
  EXPECT_EQ(info.icon_png, entry(unzip_all(apk), want_icon));
}

TEST_P(ApkReaderTest, MemoryAndFileAgree) {
  std::filesystem::path apk = test_apk_dir() / GetParam();
  std::vector<uint8_t> bytes = read_file(apk);
  ApkInfo from_file = read_apk(apk);
  ApkInfo from_memory = read_apk(std::span<const uint8_t>(bytes));
  EXPECT_EQ(from_file.package, from_memory.package);
  EXPECT_EQ(from_file.label, from_memory.label);
  EXPECT_EQ(from_file.icon_png, from_memory.icon_png);
}

INSTANTIATE_TEST_SUITE_P(TestApks, ApkReaderTest,
                         ::testing::Values("basic.apk", "service.apk", "alias.apk", "adaptive.apk",
                                           "big.apk"),
                         [](const auto& info) {
                           return info.param.substr(0, info.param.find('.'));
                         });

// Guards the overrides above: they are only needed while aapt really disagrees.
TEST(ApkReaderOverrides, AaptStillIgnoresAliasAndNamesXmlIcon) {
  Badging alias = parse_badging(test_apk_dir() / "alias.apk.badging.txt");
  EXPECT_EQ(alias.launchable, "");
  ASSERT_FALSE(alias.icons.empty());
  EXPECT_TRUE(alias.icons.rbegin()->second.ends_with(".xml"));
}

TEST(ApkReaderFields, SpotChecksIndependentOfAapt) {
  ApkInfo basic = read_apk(test_apk_dir() / "basic.apk");
  EXPECT_EQ(basic.label, "Basic App");  // default locale, not zh-CN or fr
  EXPECT_EQ(basic.icon_path, "res/mipmap-xxhdpi-v4/ic_launcher.png");
  ApkInfo service = read_apk(test_apk_dir() / "service.apk");
  EXPECT_EQ(service.launchable_activity, "");
  EXPECT_EQ(service.target_sdk, 0);
  ApkInfo alias = read_apk(test_apk_dir() / "alias.apk");
  EXPECT_EQ(alias.version_name, "2.0 (\xce\xb1)");
  EXPECT_EQ(alias.label, "Alias App \xe2\x9c\x93");  // from a UTF-16 string pool
}

TEST(ApkReaderFields, MissingFileIsApkError) {
  EXPECT_THROW(read_apk(test_apk_dir() / "does-not-exist.apk"), ApkError);
}

}  // namespace
}  // namespace cp::apk
