// Pure logic of the device service: state machine, input validation, quota, output parsing.
#include <gtest/gtest.h>

#include "core/problem.h"
#include "services/device/lifecycle.h"
#include "services/device/operations.h"
#include "services/device/state_machine.h"
#include "services/device/validation.h"

namespace cp::device {
namespace {

using S = DeviceState;

std::string field_of(const boost::json::object& body) {
  try {
    create_device_schema().validate(body);
    read_create_input(body);
  } catch (const http::ApiError& e) {
    return e.field();
  }
  return "";
}

TEST(DeviceStateMachine, LifecycleTransitions) {
  EXPECT_TRUE(can_transition(S::creating, S::booting));
  EXPECT_TRUE(can_transition(S::booting, S::running));
  EXPECT_TRUE(can_transition(S::running, S::stopping));
  EXPECT_TRUE(can_transition(S::stopping, S::stopped));
  EXPECT_TRUE(can_transition(S::stopped, S::booting));
  EXPECT_TRUE(can_transition(S::running, S::error));
  EXPECT_TRUE(can_transition(S::error, S::booting));
  EXPECT_FALSE(can_transition(S::creating, S::running));  // never running without booting
  EXPECT_FALSE(can_transition(S::stopped, S::running));
  EXPECT_FALSE(can_transition(S::deleted, S::booting));   // deleted is final
  EXPECT_FALSE(can_transition(S::deleted, S::error));
}

TEST(DeviceStateMachine, ActionsAreRefusedWithTheCurrentState) {
  EXPECT_EQ(std::get<S>(plan_action(DeviceAction::start, S::stopped)), S::booting);
  EXPECT_EQ(std::get<S>(plan_action(DeviceAction::start, S::error)), S::booting);
  EXPECT_EQ(std::get<S>(plan_action(DeviceAction::stop, S::running)), S::stopping);
  EXPECT_EQ(std::get<S>(plan_action(DeviceAction::restart, S::running)), S::booting);
  EXPECT_EQ(std::get<S>(plan_action(DeviceAction::remove, S::creating)), S::deleted);
  auto refused = plan_action(DeviceAction::start, S::running);
  ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
  EXPECT_EQ(std::get<Refusal>(refused).reason, "cannot start: device is running");
  EXPECT_TRUE(std::holds_alternative<Refusal>(plan_action(DeviceAction::stop, S::stopped)));
  EXPECT_TRUE(std::holds_alternative<Refusal>(plan_action(DeviceAction::operate, S::booting)));
  EXPECT_TRUE(std::holds_alternative<Refusal>(plan_action(DeviceAction::remove, S::deleted)));
  // Every planned state is a legal transition from the current one.
  for (auto a : {DeviceAction::start, DeviceAction::stop, DeviceAction::restart, DeviceAction::remove}) {
    for (auto s : {S::creating, S::booting, S::running, S::stopping, S::stopped, S::error, S::deleted}) {
      auto plan = plan_action(a, s);
      if (auto* to = std::get_if<S>(&plan)) {
        EXPECT_TRUE(can_transition(s, *to)) << to_string(a) << " " << to_string(s);
      }
    }
  }
}

TEST(DeviceStateMachine, StatesRoundTripThroughText) {
  for (auto s : {S::creating, S::booting, S::running, S::stopping, S::stopped, S::error, S::deleted}) {
    EXPECT_EQ(parse_state(to_string(s)), s);
  }
  EXPECT_FALSE(parse_state("on"));
}

TEST(DeviceValidation, DefaultsFillAMissingSpec) {
  auto in = read_create_input({{"name", "phone"}});
  EXPECT_EQ(in.name, "phone");
  EXPECT_EQ(in.spec.width, 720);
  EXPECT_EQ(in.spec.android_version, "13");
}

TEST(DeviceValidation, BadValuesNameTheirField) {
  EXPECT_EQ(field_of({{"spec", {{"width", 720}}}}), "name");
  EXPECT_EQ(field_of({{"name", "  "}}), "name");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"width", 100}}}}), "spec.width");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"width", 721}}}}), "spec.width");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"height", "tall"}}}}), "spec.height");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"android_version", "9"}}}}), "spec.android_version");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"cpu_cores", 8}, {"memory_mb", 1024}}}}), "spec.memory_mb");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"fps", 0}}}}), "spec.fps");
  EXPECT_EQ(field_of({{"name", "p"}, {"spec", {{"width", 1080}, {"height", 1920}, {"dpi", 480}}}}), "");
}

TEST(DeviceQuota, CountsDevicesCpuAndMemory) {
  QuotaLimits q{2, 8, 8192};
  DeviceSpec spec;  // 2 cores, 2048 MB
  EXPECT_FALSE(quota_violation(q, {0, 0, 0}, spec));
  EXPECT_FALSE(quota_violation(q, {1, 2, 2048}, spec));
  auto full = quota_violation(q, {2, 4, 4096}, spec);
  ASSERT_TRUE(full);
  EXPECT_NE(full->find("2 of 2 devices"), std::string::npos) << *full;
  EXPECT_NE(quota_violation(q, {1, 7, 0}, spec)->find("CPU"), std::string::npos);
  EXPECT_NE(quota_violation(q, {1, 0, 7000}, spec)->find("memory"), std::string::npos);
  EXPECT_TRUE(quota_violation({0, 0, 0}, {0, 0, 0}, spec));  // no devices allowed at all
}

TEST(DeviceOperations, CapAndParseOutput) {
  std::string big(100, 'x');
  EXPECT_TRUE(cap_output(big, 10));
  EXPECT_EQ(big.size(), 10u);
  EXPECT_FALSE(cap_output(big, 10));
  EXPECT_EQ(parse_package_list("package:com.a\r\npackage:org.b\ngarbage\n"),
            (std::vector<std::string>{"com.a", "org.b"}));
  auto props = parse_getprop("[ro.product.model]: [Pixel Sim]\n[sys.boot_completed]: [1]\n[empty]: []\nnoise\n");
  EXPECT_EQ(props["ro.product.model"], "Pixel Sim");
  EXPECT_EQ(props["sys.boot_completed"], "1");
  EXPECT_EQ(props.count("empty"), 1u);
  EXPECT_EQ(props.size(), 3u);
}

}  // namespace
}  // namespace cp::device
