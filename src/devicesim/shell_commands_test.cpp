#include <fstream>
#include <regex>

#include "devicesim/shell_test_support.h"

namespace cp::devicesim::testing {
namespace {

using ShellCommandsTest = ShellTest;
using V = std::vector<std::string>;

TEST_F(ShellCommandsTest, GetpropListFormatAndSingleValues) {
  const RunResult all = run("getprop");
  EXPECT_NE(all.out.find("[ro.product.model]: [Cloudphone Simulator]\n"), std::string::npos);
  EXPECT_NE(all.out.find("[ro.cloudphone.simulator]: [1]\n"), std::string::npos);
  EXPECT_NE(all.out.find("[sys.boot_completed]: [1]\n"), std::string::npos);
  EXPECT_EQ(run("getprop ro.build.version.sdk").out, "33\n");
  EXPECT_EQ(run("getprop ro.build.version.release").out, "13\n");
  EXPECT_EQ(run("getprop no.such.prop").out, "\n");
  EXPECT_EQ(run("getprop no.such.prop fallback").out, "fallback\n");
}

TEST_F(ShellCommandsTest, SetpropFollowsAndroidRules) {
  EXPECT_EQ(run("setprop debug.x hello").status, 0);
  EXPECT_EQ(run("getprop debug.x").out, "hello\n");
  const RunResult r = run("setprop ro.product.model Other");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "Failed to set property 'ro.product.model' to 'Other'.\nSee dmesg for error reason.\n");
  EXPECT_EQ(run("getprop ro.product.model").out, "Cloudphone Simulator\n");
  EXPECT_EQ(run("setprop ro.new.thing 1").status, 0);  // ro.* can be set once
  EXPECT_EQ(run("setprop ro.new.thing 2").status, 1);
}

TEST_F(ShellCommandsTest, InputDrivesTheScreen) {
  EXPECT_EQ(run("input tap 10 20").status, 0);
  EXPECT_EQ(run("input touchscreen swipe 1 2 3 4 500").status, 0);
  EXPECT_EQ(run("input swipe 1 2 3 4").status, 0);
  EXPECT_EQ(run("input text hello%sworld").status, 0);
  EXPECT_EQ(run("input keyevent KEYCODE_HOME 4 ENTER").status, 0);
  EXPECT_EQ(run("input motionevent DOWN 5 6 && input motionevent UP 5 6").status, 0);
  EXPECT_EQ(screen_.calls,
            (V{"tap 10 20", "swipe 1 2 3 4 500", "swipe 1 2 3 4 300", "text hello world", "key 3",
               "key 4", "key 66", "touch 0 0 5 6 10", "touch 1 0 5 6 0"}));
}

TEST_F(ShellCommandsTest, InputRejectsBadArguments) {
  EXPECT_EQ(run("input tap 10").status, 1);
  EXPECT_EQ(run("input tap x y").status, 1);
  const RunResult r = run("input keyevent KEYCODE_NOPE");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "Error: Unknown keycode: KEYCODE_NOPE\n");
  EXPECT_TRUE(screen_.calls.empty());
}

TEST_F(ShellCommandsTest, WmReportsTheConfiguredDisplay) {
  EXPECT_EQ(run("wm size").out, "Physical size: 720x1280\n");
  EXPECT_EQ(run("wm density").out, "Physical density: 320\n");
  EXPECT_EQ(run("cmd window size").out, "Physical size: 720x1280\n");
}

TEST_F(ShellCommandsTest, ScreencapToStdoutAndFile) {
  const RunResult r = run("screencap -p");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.starts_with("\x89PNG\r\n\x1a\n"));
  EXPECT_EQ(run("screencap -p /sdcard/s.png").status, 0);
  EXPECT_EQ(std::filesystem::file_size(host("/sdcard/s.png")), r.out.size());
  EXPECT_EQ(run("screencap").status, 1);  // raw format is not simulated
}

TEST_F(ShellCommandsTest, AmStartLaunchesInstalledPackages) {
  RunResult r = run("am start -n com.android.settings/.Settings");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Starting: Intent { cmp=com.android.settings/.Settings }\n");
  EXPECT_EQ(screen_.calls, (V{"launch com.android.settings"}));
  r = run("am start -a android.intent.action.MAIN -n com.nope/.Main");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err,
            "Error type 3\nError: Activity class {com.nope/com.nope.Main} does not exist.\n");
  EXPECT_EQ(run("am force-stop com.android.settings").status, 0);
  EXPECT_EQ(screen_.calls.back(), "stop com.android.settings");
  EXPECT_NE(logcat_.dump().find("START u0 {cmp=com.android.settings/.Settings}"),
            std::string::npos);
}

TEST_F(ShellCommandsTest, MonkeyLaunchesTheLauncherActivity) {
  RunResult r = run("monkey -p com.android.settings -c android.intent.category.LAUNCHER 1");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("Events injected: 1\n"), std::string::npos);
  EXPECT_EQ(screen_.calls, (V{"launch com.android.settings"}));
  r = run("monkey -p com.android.systemui 1");  // installed, but nothing to launch
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("** No activities found to run, monkey aborted."), std::string::npos);
}

TEST_F(ShellCommandsTest, DumpsysBattery) {
  const RunResult r = run("dumpsys battery");
  EXPECT_TRUE(r.out.starts_with("Current Battery Service state:\n  AC powered: true\n")) << r.out;
  EXPECT_NE(r.out.find("\n  level: 100\n"), std::string::npos);
}

TEST_F(ShellCommandsTest, SettingsGetPutPersist) {
  EXPECT_EQ(run("settings get system screen_brightness").out, "102\n");
  EXPECT_EQ(run("settings get global no_such_key").out, "null\n");
  EXPECT_EQ(run("settings put secure my_key 'a b'").status, 0);
  EXPECT_EQ(run("settings --user 0 get secure my_key").out, "a b\n");
  const RunResult bad = run("settings get nowhere x");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.err.find("Invalid namespace 'nowhere'"), std::string::npos);
  make_device();  // a restart keeps what was put
  EXPECT_EQ(run("settings get secure my_key").out, "a b\n");
}

TEST_F(ShellCommandsTest, LogcatDumpAndClear) {
  logcat_.info("TestTag", "first message");
  const RunResult r = run("logcat -d");
  const std::regex line(
      R"(\d\d-\d\d \d\d:\d\d:\d\d\.\d\d\d +\d+ +\d+ I TestTag : first message\n)");
  EXPECT_TRUE(std::regex_search(r.out, line)) << r.out;
  EXPECT_EQ(run("logcat -c").status, 0);
  EXPECT_EQ(run("logcat -d").out, "");
}

TEST_F(ShellCommandsTest, IdentityCommands) {
  EXPECT_EQ(run("whoami").out, "shell\n");
  EXPECT_TRUE(run("id").out.starts_with("uid=2000(shell) gid=2000(shell) groups=2000(shell),"));
  EXPECT_EQ(run("uname").out, "Linux\n");
  EXPECT_EQ(run("uname -s -n").out, "Linux localhost\n");
}

TEST_F(ShellCommandsTest, RebootAsksTheDevice) {
  EXPECT_EQ(run("reboot").status, 0);
  EXPECT_EQ(reboots_, 1);
}

TEST_F(ShellCommandsTest, CmdUnknownService) {
  const RunResult r = run("cmd nosuchservice foo");
  EXPECT_EQ(r.status, 20);
  EXPECT_EQ(r.err, "cmd: Can't find service: nosuchservice\n");
}

TEST_F(ShellCommandsTest, ScrcpyServerNeedsThePushedJar) {
  const std::string launch =
      "CLASSPATH=/data/local/tmp/scrcpy-server.jar app_process / com.genymobile.scrcpy.Server "
      "3.1 tunnel_forward=true video=true audio=false";
  RunResult r = run(launch);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("ClassNotFoundException"), std::string::npos);
  EXPECT_TRUE(scrcpy_args_.empty());

  std::ofstream(host("/data/local/tmp/scrcpy-server.jar")) << "jar";
  r = run(launch);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "scrcpy served\n");
  EXPECT_EQ(scrcpy_args_, (V{"3.1", "tunnel_forward=true", "video=true", "audio=false"}));
  // The assignment held for that command only.
  EXPECT_EQ(run(launch + "; echo \"[$CLASSPATH]\"").out, "scrcpy served\n[]\n");
}

}  // namespace
}  // namespace cp::devicesim::testing
