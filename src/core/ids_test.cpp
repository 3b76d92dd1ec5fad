// Ids are prefixed, unique and sort by creation time; RFC 3339 round-trips and rejects junk.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace cp {
namespace {

TEST(IdsTest, PrefixedCrockfordAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    auto id = new_id("dev");
    ASSERT_EQ(id.rfind("dev_", 0), 0u);
    ASSERT_EQ(id.size(), 4u + 26u);
    EXPECT_EQ(id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 4), std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(IdsTest, SortByCreationTime) {
  auto first = new_id("usr");
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = new_id("usr");
  EXPECT_LT(first, second);
}

TEST(IdsTest, RandomHex) {
  auto h = random_hex(16);
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(h, random_hex(16));
}

TEST(Rfc3339Test, RoundTrips) {
  EXPECT_EQ(to_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(to_rfc3339(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  for (int64_t ms : {int64_t{0}, int64_t{951'782'400'000}, int64_t{1'700'000'000'123}}) {
    EXPECT_EQ(from_rfc3339(to_rfc3339(ms)), ms);
  }
  EXPECT_EQ(from_rfc3339("2023-11-14T22:13:20Z"), 1'700'000'000'000);
  EXPECT_EQ(from_rfc3339("2023-11-14T22:13:20.5Z"), 1'700'000'000'500);
  EXPECT_EQ(from_rfc3339("2023-11-14t22:13:20.123456z"), 1'700'000'000'123);
}

TEST(Rfc3339Test, AcceptsNumericOffsets) {
  EXPECT_EQ(from_rfc3339("2023-11-15T00:13:20+02:00"), 1'700'000'000'000);
  EXPECT_EQ(from_rfc3339("2023-11-14T17:13:20.250-05:00"), 1'700'000'000'250);
}

TEST(Rfc3339Test, RejectsMalformed) {
  for (const char* bad :
       {"", "2023-11-14", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z", "2023-02-30T00:00:00Z",
        "2023-11-14T25:00:00Z", "2023-11-14T22:61:00Z", "yesterday", "2023-11-14T22:13:20Zjunk",
        "2023-11-14T22:13:20+0200", " 2023-11-14T22:13:20Z"}) {
    EXPECT_EQ(from_rfc3339(bad), -1) << bad;
  }
}

}  // namespace
}  // namespace cp
