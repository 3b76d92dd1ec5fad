#include "devicesim/shell_test_support.h"

#include <fstream>
#include <thread>

namespace cp::devicesim::testing {
namespace {

using ShellInterpreterTest = ShellTest;

TEST_F(ShellInterpreterTest, EchoAndStatusVariable) {
  EXPECT_EQ(run("echo hello   world").out, "hello world\n");
  EXPECT_EQ(run("false; echo $?").out, "1\n");
  EXPECT_EQ(run("true; echo $?").out, "0\n");
  EXPECT_EQ(run("nosuch; echo $?").out, "127\n");
}

TEST_F(ShellInterpreterTest, AndOrShortCircuit) {
  EXPECT_EQ(run("true && echo a || echo b").out, "a\n");
  EXPECT_EQ(run("false && echo a || echo b").out, "b\n");
  EXPECT_EQ(run("false || false || echo c").out, "c\n");
  EXPECT_EQ(run("true || echo no; echo yes").out, "yes\n");
  const RunResult r = run("false && echo never");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.status, 1);
}

TEST_F(ShellInterpreterTest, ExitStopsTheScriptWithItsCode) {
  const RunResult r = run("echo a; exit 3; echo b");
  EXPECT_EQ(r.status, 3);
  EXPECT_EQ(r.out, "a\n");
  EXPECT_EQ(run("false; exit").status, 1);
  EXPECT_EQ(run("exit 256").status, 0);
}

TEST_F(ShellInterpreterTest, UnknownCommandIs127WithAndroidMessage) {
  const RunResult r = run("frobnicate --now");
  EXPECT_EQ(r.status, 127);
  EXPECT_EQ(r.err, "/system/bin/sh: frobnicate: not found\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(ShellInterpreterTest, SyntaxErrorIsReported) {
  const RunResult r = run("echo 'unterminated");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "/system/bin/sh: no closing quote\n");
}

TEST_F(ShellInterpreterTest, VariablesAndPrefixAssignments) {
  EXPECT_EQ(run("X=1; echo \"[$X]\" '[$X]'").out, "[1] [$X]\n");
  EXPECT_EQ(run("X=1 true; echo \"[$X]\"").out, "[]\n");
  EXPECT_EQ(run("export Y=2; echo $Y${Y}").out, "22\n");
  EXPECT_EQ(run("echo $HOME $EXTERNAL_STORAGE").out, "/ /sdcard\n");
}

TEST_F(ShellInterpreterTest, RedirectionIntoTheDeviceTree) {
  EXPECT_EQ(run("echo one > /sdcard/f.txt; echo two >> /sdcard/f.txt").status, 0);
  EXPECT_EQ(run("cat /sdcard/f.txt").out, "one\ntwo\n");
  EXPECT_EQ(run("cat < /sdcard/f.txt").out, "one\ntwo\n");
  std::ifstream in(host("/sdcard/f.txt"));
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "one");
}

TEST_F(ShellInterpreterTest, StderrRedirection) {
  RunResult r = run("nosuch 2>/dev/null; echo $?");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "127\n");
  r = run("cat /nope > /sdcard/log 2>&1");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(run("cat /sdcard/log").out, "cat: /nope: No such file or directory\n");
  r = run("echo to-err >&2");
  EXPECT_EQ(r.err, "to-err\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(ShellInterpreterTest, RedirectionCannotEscapeTheTree) {
  const RunResult r = run("echo x > /../../tmp/escaped");
  EXPECT_NE(r.status, 0);
  EXPECT_FALSE(std::filesystem::exists(state_dir_.parent_path() / "tmp" / "escaped"));
  EXPECT_NE(run("cat < /../etc/passwd").status, 0);
}

TEST_F(ShellInterpreterTest, PipesFeedTheNextStage) {
  EXPECT_EQ(run("echo piped | cat").out, "piped\n");
  EXPECT_EQ(run("echo abc | cat | cat > /sdcard/p; cat /sdcard/p").out, "abc\n");
}

TEST_F(ShellInterpreterTest, StdinReachesTheCommand) {
  EXPECT_EQ(run("cat", "from stdin").out, "from stdin");
}

TEST_F(ShellInterpreterTest, CdChangesTheSessionDirectory) {
  EXPECT_EQ(run("cd /data/local/tmp && pwd && touch here && ls").out, "/data/local/tmp\nhere\n");
  EXPECT_EQ(run("pwd").out, "/\n");  // each run() is a new session
  const RunResult r = run("cd /nope");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.err, "/system/bin/sh: cd: /nope: No such file or directory\n");
}

TEST_F(ShellInterpreterTest, FullPathCommands) {
  EXPECT_EQ(run("/system/bin/echo hi").out, "hi\n");
}

TEST_F(ShellInterpreterTest, SleepStopsWhenCancelled) {
  std::thread canceller([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancelled_ = true;
  });
  const auto start = std::chrono::steady_clock::now();
  const RunResult r = run("sleep 30; echo after");
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.out, "");
}

TEST_F(ShellInterpreterTest, InteractiveEchoesPromptsAndRuns) {
  auto in = MemoryPipe::from_bytes("echo hi\rexit 4\r");
  std::string out;
  ShellIo io{*in,
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             cancelled_};
  EXPECT_EQ(shell_->interactive(io), 4);
  EXPECT_EQ(out, "cloudphone_sim:/ $ echo hi\r\nhi\r\ncloudphone_sim:/ $ exit 4\r\n");
}

TEST_F(ShellInterpreterTest, InteractiveLineEditing) {
  // "ecx" + backspace + "ho ok", ^C discards a line, cursor keys are ignored, EOF ends.
  auto in = MemoryPipe::from_bytes(
      "junk\x03"
      "ecx\x7fho ok\x1b[A\n");
  std::string out;
  ShellIo io{*in,
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             cancelled_};
  EXPECT_EQ(shell_->interactive(io), 0);
  EXPECT_NE(out.find("junk^C\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("ecx\b \bho ok\r\nok\r\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace cp::devicesim::testing

namespace cp::devicesim::testing {
namespace {

TEST_F(ShellTest, RunStdinRunsLinesWithoutPromptAndLeavesTheRestForCommands) {
  auto in = MemoryPipe::from_bytes("cd /sdcard\npwd\ncat\nrest of stdin\n");
  std::string out;
  ShellIo io{*in,
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             cancelled_};
  EXPECT_EQ(shell_->run_stdin(io), 0);
  EXPECT_EQ(out, "/sdcard\nrest of stdin\n");
}

TEST_F(ShellTest, RunStdinStopsAtExit) {
  auto in = MemoryPipe::from_bytes("echo a\nexit 7\necho b\n");
  std::string out;
  ShellIo io{*in,
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             [&](std::string_view s) {
               out.append(s);
               return true;
             },
             cancelled_};
  EXPECT_EQ(shell_->run_stdin(io), 7);
  EXPECT_EQ(out, "a\n");
}

}  // namespace
}  // namespace cp::devicesim::testing
