// ProcessRuntime with a stand-in for `cloudphone devicesim`: a shell script that prints the
// "listening on" line and sleeps (or misbehaves), so supervision is tested without ADB.
#include "runtime/process_runtime.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <thread>

namespace cp::runtime {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

bool process_exists(int pid) {
  return kill(pid, 0) == 0;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

class ProcessRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "procrt-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    runtime_.reset();
    fs::remove_all(dir_);
  }
  // A fake devicesim: `body` runs after the arguments are logged to args.txt.
  void make_runtime(const std::string& body, RestartPolicy policy = {}) {
    auto script = dir_ / "fake-devicesim.sh";
    std::ofstream(script) << "#!/bin/sh\necho \"$@\" > " << (dir_ / "args.txt").string() << "\n"
                          << body << "\n";
    fs::permissions(script, fs::perms::owner_all);
    ProcessRuntimeOptions o;
    o.devicesim_bin = script;
    o.state_root = dir_ / "devices";
    o.start_timeout = 3s;
    o.supervise_interval = 20ms;
    o.restart = policy;
    runtime_ = std::make_unique<ProcessRuntime>(o);
  }
  RuntimeSpec spec() {
    RuntimeSpec s;
    s.device_id = "dev_test1";
    s.width = 480;
    s.height = 800;
    return s;
  }
  fs::path dir_;
  std::unique_ptr<ProcessRuntime> runtime_;
};

const char* kListenAndSleep =
    "echo 'log line first' >&2\necho 'listening on 127.0.0.1:4242'\nexec sleep 60";

TEST(RestartBackoff, DoublesUpToTheMaximum) {
  RestartPolicy p{5, 500ms, 3000ms, 60s};
  EXPECT_EQ(restart_backoff(p, 1), 500ms);
  EXPECT_EQ(restart_backoff(p, 2), 1000ms);
  EXPECT_EQ(restart_backoff(p, 3), 2000ms);
  EXPECT_EQ(restart_backoff(p, 4), 3000ms);
  EXPECT_EQ(restart_backoff(p, 40), 3000ms);
}

TEST_F(ProcessRuntimeTest, StartReadsThePortAndStopEndsTheChild) {
  make_runtime(kListenAndSleep);
  auto id = runtime_->create(spec());
  EXPECT_EQ(runtime_->inspect(id).state, InstanceState::created);
  auto ep = runtime_->start(id);
  EXPECT_EQ(ep, (AdbEndpoint{"127.0.0.1", 4242}));
  auto st = runtime_->inspect(id);
  ASSERT_EQ(st.state, InstanceState::running);
  ASSERT_TRUE(st.pid);
  EXPECT_TRUE(process_exists(*st.pid));
  std::string args;
  std::getline(std::ifstream(dir_ / "args.txt"), args);
  EXPECT_NE(args.find("devicesim --host 127.0.0.1 --port 0 --state-dir"), std::string::npos)
      << args;
  EXPECT_NE(args.find("--width 480 --height 800"), std::string::npos) << args;
  EXPECT_EQ(runtime_->start(id), ep);  // already running: same endpoint, no second child
  runtime_->stop(id, 2s);
  EXPECT_EQ(runtime_->inspect(id).state, InstanceState::stopped);
  EXPECT_FALSE(process_exists(*st.pid));
  EXPECT_NE(runtime_->logs(id, 1000).find("log line first"), std::string::npos);
  runtime_->remove(id);
  EXPECT_EQ(runtime_->inspect(id).state, InstanceState::absent);
  EXPECT_FALSE(fs::exists(dir_ / "devices" / "dev_test1"));
}

// Snapshot = a copy of the state directory; restore replaces a stopped instance's directory.
TEST_F(ProcessRuntimeTest, SnapshotCopiesTheStateAndRestoreReplacesIt) {
  make_runtime(kListenAndSleep);
  auto id = runtime_->create(spec());
  auto state = dir_ / "devices" / "dev_test1" / "state";
  fs::create_directories(state / "apps");
  std::ofstream(state / "packages.json") << "[\"com.example.basic\"]";
  std::ofstream(state / "apps" / "base.apk") << "apk bytes";
  runtime_->start(id);
  auto ref = runtime_->snapshot(id, "snp_1");  // while running
  EXPECT_EQ(fs::path(ref), dir_ / "devices" / ".snapshots" / "snp_1");
  std::ofstream(state / "packages.json") << "[]";  // changes after the snapshot do not leak into it

  auto other = spec();
  other.device_id = "dev_test2";
  auto copy = runtime_->create(other);
  runtime_->restore(copy, "snp_1");
  auto copy_state = dir_ / "devices" / "dev_test2" / "state";
  std::string text;
  std::getline(std::ifstream(copy_state / "packages.json"), text);
  EXPECT_EQ(text, "[\"com.example.basic\"]");
  EXPECT_TRUE(fs::exists(copy_state / "apps" / "base.apk"));

  EXPECT_THROW(runtime_->restore(id, "snp_1"), RuntimeError) << "running: stop it first";
  runtime_->stop(id, 2s);
  runtime_->restore(id, "snp_1");
  std::getline(std::ifstream(state / "packages.json"), text);
  EXPECT_EQ(text, "[\"com.example.basic\"]");

  EXPECT_THROW(runtime_->restore(copy, "snp_missing"), RuntimeError);
  EXPECT_THROW(runtime_->snapshot(id, "../escape"), RuntimeError);
  EXPECT_THROW(runtime_->snapshot("dev_nobody", "snp_2"), RuntimeError);
  runtime_->remove_snapshot("snp_1");
  EXPECT_FALSE(fs::exists(ref));
  runtime_->remove_snapshot("snp_1");  // absent: no-op
}

TEST_F(ProcessRuntimeTest, AKilledChildIsRestartedByPolicy) {
  make_runtime(kListenAndSleep, RestartPolicy{3, 50ms, 200ms, 60s});
  auto id = runtime_->create(spec());
  runtime_->start(id);
  int first = *runtime_->inspect(id).pid;
  kill(first, SIGKILL);
  ASSERT_TRUE(eventually([&] {
    auto st = runtime_->inspect(id);
    return st.state == InstanceState::running && st.pid && *st.pid != first;
  }));
  auto st = runtime_->inspect(id);
  EXPECT_EQ(st.restarts, 1);
  EXPECT_FALSE(process_exists(first));
}

TEST_F(ProcessRuntimeTest, PolicyGivesUpOnAChildThatKeepsDying) {
  make_runtime("echo 'listening on 127.0.0.1:4242'\nexit 3", RestartPolicy{2, 10ms, 20ms, 60s});
  auto id = runtime_->create(spec());
  runtime_->start(id);
  ASSERT_TRUE(eventually([&] { return runtime_->inspect(id).state == InstanceState::failed; }));
  auto reason = runtime_->inspect(id).reason;
  EXPECT_NE(reason.find("exited with code 3"), std::string::npos) << reason;
  EXPECT_NE(reason.find("gave up"), std::string::npos) << reason;
}

TEST_F(ProcessRuntimeTest, AChildThatNeverListensFailsTheStart) {
  make_runtime("echo 'broken config' >&2\nexit 2");
  auto id = runtime_->create(spec());
  try {
    runtime_->start(id);
    FAIL() << "start should throw";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("exited with code 2"), std::string::npos) << e.what();
  }
}

TEST_F(ProcessRuntimeTest, RejectsIdsThatEscapeTheStateRoot) {
  make_runtime(kListenAndSleep);
  auto s = spec();
  s.device_id = "../etc";
  EXPECT_THROW(runtime_->create(s), RuntimeError);
}

}  // namespace
}  // namespace cp::runtime
