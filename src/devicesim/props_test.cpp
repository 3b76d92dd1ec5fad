#include "devicesim/props.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace cp::devicesim {
namespace {

class PropsTest : public ::testing::Test {
 protected:
  PropsTest() {
    config_.state_dir = std::filesystem::temp_directory_path() /
                        ("cp-props-" + std::to_string(::getpid()) + "-" +
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(config_.state_dir);
  }
  ~PropsTest() override { std::filesystem::remove_all(config_.state_dir); }
  DeviceConfig config_;
};

TEST_F(PropsTest, DescribesTheConfiguredDevice) {
  config_.model = "Model X";
  config_.port = 5999;
  config_.sdk = 34;
  DeviceProperties props(config_);
  EXPECT_EQ(props.get("ro.product.model"), "Model X");
  EXPECT_EQ(props.get("ro.build.version.sdk"), "34");
  EXPECT_EQ(props.get("ro.serialno"), "cpsim-5999");
  EXPECT_EQ(props.get("ro.cloudphone.simulator"), "1");
  EXPECT_EQ(props.get("sys.boot_completed"), "1");
  EXPECT_FALSE(props.get("ro.kernel.qemu"));  // it is a simulator, not an emulator
}

TEST_F(PropsTest, ReadOnlyAndValidation) {
  DeviceProperties props(config_);
  EXPECT_FALSE(props.set("ro.product.model", "x"));
  EXPECT_TRUE(props.set("ro.custom", "x"));
  EXPECT_FALSE(props.set("ro.custom", "y"));
  EXPECT_FALSE(props.set("bad name", "x"));
  EXPECT_FALSE(props.set("a..b", "x"));
  EXPECT_FALSE(props.set("debug.long", std::string(92, 'x')));
  EXPECT_TRUE(props.set("debug.long", std::string(91, 'x')));
}

TEST_F(PropsTest, PersistPropertiesSurviveARestart) {
  {
    DeviceProperties props(config_);
    EXPECT_TRUE(props.set("persist.sys.demo", "kept"));
    EXPECT_TRUE(props.set("debug.demo", "lost"));
  }
  DeviceProperties again(config_);
  EXPECT_EQ(again.get("persist.sys.demo"), "kept");
  EXPECT_FALSE(again.get("debug.demo"));
}

TEST_F(PropsTest, AllIsSorted) {
  DeviceProperties props(config_);
  const auto all = props.all();
  EXPECT_TRUE(all.contains("ro.build.version.release"));
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

}  // namespace
}  // namespace cp::devicesim
