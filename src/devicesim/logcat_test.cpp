#include "devicesim/logcat.h"

#include <gtest/gtest.h>

#include <regex>

namespace cp::devicesim {
namespace {

TEST(Logcat, ThreadtimeFormat) {
  Logcat log;
  log.append(Logcat::Priority::kWarn, "PackageManager", "hello", 123, 456);
  const std::regex line(
      R"(^\d\d-\d\d \d\d:\d\d:\d\d\.\d\d\d   123   456 W PackageManager: hello\n$)");
  EXPECT_TRUE(std::regex_match(log.dump(), line)) << log.dump();
}

TEST(Logcat, ShortTagsArePaddedAndMessagesSplitIntoLines) {
  Logcat log;
  log.info("Tag", "a\nb");
  const std::string dump = log.dump();
  EXPECT_NE(dump.find(" I Tag     : a\n"), std::string::npos) << dump;
  EXPECT_NE(dump.find(" I Tag     : b\n"), std::string::npos) << dump;
  EXPECT_EQ(log.size(), 2u);
}

TEST(Logcat, BoundedRing) {
  Logcat log(3);
  for (int i = 0; i < 5; ++i) {
    log.info("T", "m" + std::to_string(i));
  }
  EXPECT_EQ(log.size(), 3u);
  EXPECT_EQ(log.dump().find("m1"), std::string::npos);
  EXPECT_NE(log.dump().find("m4"), std::string::npos);
  log.clear();
  EXPECT_EQ(log.dump(), "");
}

TEST(Logcat, LinesSinceFollowsNewLines) {
  Logcat log;
  log.info("T", "one");
  uint64_t seq = 0;
  EXPECT_EQ(log.lines_since(0, seq).size(), 1u);
  EXPECT_TRUE(log.lines_since(seq, seq).empty());
  log.info("T", "two");
  const auto lines = log.lines_since(seq, seq);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].ends_with("two"));
}

}  // namespace
}  // namespace cp::devicesim
