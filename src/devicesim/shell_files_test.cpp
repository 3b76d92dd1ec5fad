#include <fstream>

#include "devicesim/shell_test_support.h"

namespace cp::devicesim::testing {
namespace {

using ShellFilesTest = ShellTest;

TEST_F(ShellFilesTest, StandardDirectoriesExist) {
  for (const char* dir : {"/sdcard", "/data/local/tmp", "/system"}) {
    EXPECT_TRUE(std::filesystem::is_directory(host(dir))) << dir;
  }
  EXPECT_EQ(run("ls /data/local").out, "tmp\n");
}

TEST_F(ShellFilesTest, LsListsSortedAndHidesDotFiles) {
  run("mkdir /sdcard/d && touch /sdcard/d/b /sdcard/d/a /sdcard/d/.hidden");
  EXPECT_EQ(run("ls /sdcard/d").out, "a\nb\n");
  EXPECT_EQ(run("ls -a /sdcard/d").out, ".\n..\n.hidden\na\nb\n");
  EXPECT_EQ(run("ls /sdcard/d/a").out, "/sdcard/d/a\n");
}

TEST_F(ShellFilesTest, LsLongFormat) {
  run("mkdir /sdcard/d; echo -n 12345 > /sdcard/d/f");
  const RunResult r = run("ls -l /sdcard/d");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.starts_with("total ")) << r.out;
  EXPECT_NE(r.out.find("-rw"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" shell shell 5 "), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with(" f\n")) << r.out;
}

TEST_F(ShellFilesTest, LsMissingAndUnknownOption) {
  RunResult r = run("ls /nope");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "ls: /nope: No such file or directory\n");
  r = run("ls -z");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("Unknown option 'z'"), std::string::npos);
}

TEST_F(ShellFilesTest, CatErrors) {
  RunResult r = run("cat /nope");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "cat: /nope: No such file or directory\n");
  r = run("cat /sdcard");
  EXPECT_EQ(r.err, "cat: /sdcard: Is a directory\n");
}

TEST_F(ShellFilesTest, CatCannotEscapeTheTreeByDotDot) {
  const RunResult r = run("cat /../../etc/passwd");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "cat: /../../etc/passwd: Permission denied\n");
  EXPECT_NE(run("cd /sdcard && cat ../../../../etc/hostname").status, 0);
}

TEST_F(ShellFilesTest, CatCannotEscapeTheTreeBySymlink) {
  std::filesystem::create_directory_symlink("/etc", host("/sdcard/etc"));
  const RunResult r = run("cat /sdcard/etc/passwd");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(run("ls /sdcard/etc/").status, 0);
}

TEST_F(ShellFilesTest, DotDotInsideTheTreeIsFine) {
  run("echo inside > /sdcard/x");
  EXPECT_EQ(run("cat /data/../sdcard/./x").out, "inside\n");
}

TEST_F(ShellFilesTest, MkdirAndRm) {
  EXPECT_EQ(run("mkdir /sdcard/a/b").err, "mkdir: '/sdcard/a/b': No such file or directory\n");
  EXPECT_EQ(run("mkdir -p /sdcard/a/b").status, 0);
  EXPECT_EQ(run("mkdir /sdcard/a").err, "mkdir: '/sdcard/a': File exists\n");
  EXPECT_EQ(run("rm /sdcard/a").err, "rm: /sdcard/a: Is a directory\n");
  EXPECT_EQ(run("rm -r /sdcard/a").status, 0);
  EXPECT_FALSE(std::filesystem::exists(host("/sdcard/a")));
  EXPECT_EQ(run("rm /sdcard/a").status, 1);
  EXPECT_EQ(run("rm -f /sdcard/a").status, 0);
  EXPECT_NE(run("rm -rf /").status, 0);
  EXPECT_TRUE(std::filesystem::exists(host("/sdcard")));
}

TEST_F(ShellFilesTest, TouchCreatesFiles) {
  EXPECT_EQ(run("touch /data/local/tmp/t").status, 0);
  EXPECT_TRUE(std::filesystem::is_regular_file(host("/data/local/tmp/t")));
  EXPECT_EQ(run("touch /nodir/t").status, 1);
}

}  // namespace
}  // namespace cp::devicesim::testing
