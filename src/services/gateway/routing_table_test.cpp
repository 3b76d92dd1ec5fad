#include "services/gateway/routing_table.h"

#include <gtest/gtest.h>

#include <set>

namespace cp::gateway {
namespace {

TEST(RoutingTable, FirstSegmentUnderApiV1PicksTheService) {
  EXPECT_EQ(owner_of("/api/v1/users/me"), "user");
  EXPECT_EQ(owner_of("/api/v1/auth/login"), "user");
  EXPECT_EQ(owner_of("/api/v1/api-keys"), "user");
  EXPECT_EQ(owner_of("/api/v1/devices/dev_1/start"), "device");
  EXPECT_EQ(owner_of("/api/v1/apps"), "app");
  EXPECT_EQ(owner_of("/api/v1/orders/ord_1"), "billing");
  EXPECT_EQ(owner_of("/api/v1/notifications"), "notification");
  EXPECT_EQ(owner_of("/api/v1/streams/x"), "media");
  EXPECT_EQ(owner_of("/api/v1/devices/dev_1/stream"), "media");
  EXPECT_EQ(owner_of("/api/v1/devices/dev_1/stream/settings"), "media");
  EXPECT_EQ(owner_of("/api/v1/devices/dev_1/recordings/rec_1/file"), "media");
  EXPECT_EQ(owner_of("/api/v1/devices/dev_1/streamx"), "device");
  EXPECT_EQ(owner_of("/api/v1/devices/stream"), "device");
  EXPECT_EQ(owner_of("/api/v1/tasks"), "scheduler");
}

TEST(RoutingTable, UnknownOrOutsideTheApiIsNobodys) {
  EXPECT_EQ(owner_of("/api/v1/nothing"), std::nullopt);
  EXPECT_EQ(owner_of("/api/v1/"), std::nullopt);
  EXPECT_EQ(owner_of("/api/v1"), std::nullopt);
  EXPECT_EQ(owner_of("/api/v2/users"), std::nullopt);
  EXPECT_EQ(owner_of("/health"), std::nullopt);
  EXPECT_EQ(owner_of("/"), std::nullopt);
  EXPECT_EQ(owner_of(""), std::nullopt);
  // Whole segments only: a prefix of a known name is not that name.
  EXPECT_EQ(owner_of("/api/v1/user/me"), std::nullopt);
  EXPECT_EQ(owner_of("/api/v1/usersx"), std::nullopt);
  EXPECT_EQ(owner_of("/API/V1/users"), std::nullopt);
}

TEST(RoutingTable, EveryOwnerIsAKnownService) {
  const std::set<std::string> services{"user",    "device",       "app",   "scheduler",
                                       "billing", "notification", "media", "system"};
  for (const auto& [prefix, owner] : api_prefix_owners()) {
    EXPECT_TRUE(services.count(owner)) << prefix << " -> " << owner;
    EXPECT_EQ(owner_of("/api/v1/" + prefix + "/x"), owner);
  }
}

}  // namespace
}  // namespace cp::gateway
