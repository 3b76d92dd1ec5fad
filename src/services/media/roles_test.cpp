#include "services/media/roles.h"

#include <gtest/gtest.h>

namespace cp::media {
namespace {

TEST(RoleTable, FirstOwnerSessionControlsOthersView) {
  RoleTable t;
  EXPECT_EQ(t.join("s1", true), Role::kController);
  EXPECT_EQ(t.join("s2", true), Role::kViewer);
  EXPECT_EQ(t.role("s1"), Role::kController);
  EXPECT_EQ(t.controller(), "s1");
}

TEST(RoleTable, AdminObserverNeverControls) {
  RoleTable t;
  EXPECT_EQ(t.join("admin", false), Role::kViewer);
  EXPECT_EQ(t.join("owner", true), Role::kController);
}

TEST(RoleTable, ControllerLeavingPromotesTheNextEligibleSession) {
  RoleTable t;
  t.join("s1", true);
  t.join("obs", false);
  t.join("s2", true);
  EXPECT_EQ(t.leave("s1"), "s2");
  EXPECT_EQ(t.role("s2"), Role::kController);
  EXPECT_EQ(t.role("obs"), Role::kViewer);
  EXPECT_EQ(t.leave("obs"), std::nullopt);
  EXPECT_EQ(t.leave("s2"), std::nullopt);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.controller(), std::nullopt);
}

TEST(RoleTable, ViewerLeavingChangesNothing) {
  RoleTable t;
  t.join("s1", true);
  t.join("s2", true);
  EXPECT_EQ(t.leave("s2"), std::nullopt);
  EXPECT_EQ(t.controller(), "s1");
  EXPECT_EQ(t.leave("unknown"), std::nullopt);
}

}  // namespace
}  // namespace cp::media

namespace cp::media {
namespace {

TEST(RoleTableHandOver, AnotherOwnerSessionTakesControlAndTheOldControllerViews) {
  RoleTable t;
  EXPECT_EQ(t.join("a", true), Role::kController);
  EXPECT_EQ(t.join("b", true), Role::kViewer);
  EXPECT_EQ(t.join("admin", false), Role::kViewer);
  std::optional<std::string> previous;
  EXPECT_FALSE(t.hand_over("admin", &previous));  // an observer never controls
  EXPECT_FALSE(t.hand_over("nobody", &previous));
  EXPECT_EQ(t.controller(), "a");
  ASSERT_TRUE(t.hand_over("b", &previous));
  EXPECT_EQ(previous, "a");
  EXPECT_EQ(t.role("a"), Role::kViewer);
  EXPECT_EQ(t.role("b"), Role::kController);
  ASSERT_TRUE(t.hand_over("b", &previous));  // already the controller: nobody is demoted
  EXPECT_EQ(previous, std::nullopt);
  EXPECT_EQ(t.leave("b"), "a");  // the controller leaves: the earliest remaining owner session
}

}  // namespace
}  // namespace cp::media
