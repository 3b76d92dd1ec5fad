#include "devicesim/package_manager.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "devicesim/shell_test_support.h"

namespace cp::devicesim::testing {
namespace {

using PackageManagerTest = ShellTest;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(PackageManagerTest, BuiltinSystemPackages) {
  const auto settings = packages_->info("com.android.settings");
  ASSERT_TRUE(settings);
  EXPECT_TRUE(settings->system);
  EXPECT_EQ(settings->launchable_activity, "com.android.settings.Settings");
  EXPECT_EQ(run("pm list packages -3").out, "");
  const RunResult all = run("pm list packages");
  EXPECT_NE(all.out.find("package:com.android.settings\n"), std::string::npos);
  EXPECT_NE(run("pm list packages -s").out.find("package:android\n"), std::string::npos);
}

TEST_F(PackageManagerTest, SystemAndUnknownPackagesCannotBeUninstalled) {
  EXPECT_THROW(packages_->uninstall("com.android.settings"), PackageError);
  const RunResult r = run("pm uninstall com.example.nothere");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "Failure [DELETE_FAILED_INTERNAL_ERROR]\n");
  EXPECT_TRUE(packages_->contains("com.android.settings"));
}

TEST_F(PackageManagerTest, InstallListPathUninstall) {
  CP_REQUIRE_APK(apk, "basic.apk");
  int changes = 0;
  packages_->subscribe([&] { ++changes; });
  const PackageInfo info = packages_->install(apk);
  EXPECT_EQ(info.package, "com.example.basic");
  EXPECT_EQ(info.label, "Basic App");
  EXPECT_EQ(info.version_code, 42);
  EXPECT_EQ(info.launchable_activity, "com.example.basic.MainActivity");
  EXPECT_FALSE(info.system);
  EXPECT_EQ(info.apk_path, "/data/app/com.example.basic-1/base.apk");
  EXPECT_EQ(slurp(host(info.apk_path)), slurp(apk));
  EXPECT_EQ(changes, 1);

  EXPECT_EQ(run("pm list packages -3").out, "package:com.example.basic\n");
  EXPECT_EQ(run("pm list packages -3 -f").out,
            "package:/data/app/com.example.basic-1/base.apk=com.example.basic\n");
  EXPECT_EQ(run("pm path com.example.basic").out,
            "package:/data/app/com.example.basic-1/base.apk\n");
  EXPECT_EQ(run("pm path com.example.nothere").status, 1);

  const RunResult r = run("pm uninstall com.example.basic");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Success\n");
  EXPECT_EQ(changes, 2);
  EXPECT_FALSE(packages_->contains("com.example.basic"));
  EXPECT_FALSE(std::filesystem::exists(host("/data/app/com.example.basic-1")));
}

TEST_F(PackageManagerTest, InstallsSurviveARestart) {
  CP_REQUIRE_APK(apk, "basic.apk");
  const PackageInfo before = packages_->install(apk, {.grant_all = true});
  make_device();
  const auto after = packages_->info("com.example.basic");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->label, before.label);
  EXPECT_EQ(after->version_code, 42);
  EXPECT_EQ(after->version_name, "1.2.3");
  EXPECT_EQ(after->launchable_activity, before.launchable_activity);
  EXPECT_EQ(after->icon_png, before.icon_png);
  EXPECT_EQ(after->permissions, before.permissions);
  EXPECT_EQ(after->granted_permissions, before.permissions);
  EXPECT_TRUE(packages_->contains("com.android.settings"));
}

TEST_F(PackageManagerTest, ReinstallReplacesButRefusesDowngrade) {
  CP_REQUIRE_APK(apk, "basic.apk");
  packages_->install(apk);
  EXPECT_NO_THROW(packages_->install(apk));  // same version: allowed, like `adb install -r`
  try {
    packages_->install(apk, {.allow_replace = false});
    ADD_FAILURE() << "-R must refuse an installed package";
  } catch (const PackageError& e) {
    EXPECT_EQ(e.code(), "INSTALL_FAILED_ALREADY_EXISTS");
  }
  // Pretend a newer version (100) is installed: the APK's 42 is then a downgrade.
  std::string db = slurp(state_dir_ / "packages.json");
  const auto at = db.find("\"version_code\":42");
  ASSERT_NE(at, std::string::npos) << db;
  db.replace(at, 17, "\"version_code\":100");
  std::ofstream(state_dir_ / "packages.json", std::ios::trunc) << db;
  make_device();
  const RunResult r = run("pm install -r /data/app/com.example.basic-1/base.apk");
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.out.starts_with("Failure [INSTALL_FAILED_VERSION_DOWNGRADE: ")) << r.out;
  EXPECT_EQ(packages_->info("com.example.basic")->version_code, 100);
  EXPECT_EQ(run("pm install -d /data/app/com.example.basic-1/base.apk").out, "Success\n");
  EXPECT_EQ(packages_->info("com.example.basic")->version_code, 42);
}

TEST_F(PackageManagerTest, PmInstallFromTheDeviceTree) {
  CP_REQUIRE_APK(apk, "big.apk");
  std::filesystem::copy_file(apk, host("/data/local/tmp/big.apk"));
  const RunResult r = run("pm install -r -t -g /data/local/tmp/big.apk");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "Success\n");
  EXPECT_TRUE(packages_->contains("com.example.big"));
  EXPECT_NE(logcat_.dump().find("com.example.big installed"), std::string::npos);
  EXPECT_EQ(run("pm install /data/local/tmp/none.apk").err,
            "Error: Can't stat file: /data/local/tmp/none.apk\n");
}

TEST_F(PackageManagerTest, StreamedInstallReadsExactlySizeBytesOfStdin) {
  CP_REQUIRE_APK(apk, "basic.apk");
  const std::string bytes = slurp(apk);
  // Trailing bytes after SIZE are not part of the APK.
  const RunResult r =
      run("cmd package 'install' -S " + std::to_string(bytes.size()), bytes + "trailing");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "Success\n");
  EXPECT_EQ(slurp(host("/data/app/com.example.basic-1/base.apk")), bytes);
  EXPECT_EQ(run("cmd package list packages -3").out, "package:com.example.basic\n");
  EXPECT_TRUE(std::filesystem::is_empty(state_dir_ / "staging"));
}

TEST_F(PackageManagerTest, StreamedInstallOfGarbageFailsLikeAndroid) {
  const std::string garbage = "this is not a zip file at all";
  const RunResult r = run("pm install -S " + std::to_string(garbage.size()), garbage);
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.out.starts_with("Failure [INSTALL_FAILED_INVALID_APK: ")) << r.out;
  EXPECT_TRUE(r.out.ends_with("]\n")) << r.out;
}

TEST_F(PackageManagerTest, StreamedInstallWithShortStdinFails) {
  const RunResult r = run("cmd package install -S 1000", "only a few bytes");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "Failure [INSTALL_FAILED_INVALID_APK: Short read: got 16 of 1000 bytes]\n");
  EXPECT_EQ(run("pm install -S -5").status, 1);
}

TEST_F(PackageManagerTest, InstallSessionAsAdbInstallMultipleUsesIt) {
  CP_REQUIRE_APK(apk, "basic.apk");
  const std::string bytes = slurp(apk);
  const RunResult created = run("cmd package install-create -S " + std::to_string(bytes.size()));
  ASSERT_EQ(created.status, 0);
  const std::regex pattern(R"(^Success: created install session \[(\d+)\]\n$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(created.out, m, pattern)) << created.out;
  const std::string id = m[1];
  EXPECT_EQ(
      run("cmd package install-write -S " + std::to_string(bytes.size()) + " " + id + " base.apk -",
          bytes)
          .out,
      "Success: streamed " + std::to_string(bytes.size()) + " bytes\n");
  EXPECT_EQ(run("cmd package install-commit " + id).out, "Success\n");
  EXPECT_TRUE(packages_->contains("com.example.basic"));
  EXPECT_NE(run("cmd package install-commit " + id).status, 0);  // the session is gone
  EXPECT_NE(run("pm install-write -S 1 ../../x base.apk -", "x").status, 0);
}

TEST_F(PackageManagerTest, DamagedDatabaseIsAnError) {
  std::ofstream(state_dir_ / "packages.json", std::ios::trunc) << "{not json";
  EXPECT_THROW(PackageManager{state_dir_}, std::runtime_error);
}

}  // namespace
}  // namespace cp::devicesim::testing
