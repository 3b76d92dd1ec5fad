#include "runtime/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "runtime/device_runtime.h"

namespace cp::runtime {

namespace {

ExitInfo decode_status(int status) {
  ExitInfo info;
  if (WIFEXITED(status)) {
    info.exited = true;
    info.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    info.signal = WTERMSIG(status);
  }
  return info;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(std::vector<char*>& argv, int stdout_fd, int log_fd, pid_t parent) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(126);  // the parent died before prctl took effect
  dup2(stdout_fd, STDOUT_FILENO);
  if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  execv(argv[0], argv.data());
  _exit(127);
}

// PR_SET_PDEATHSIG fires when the *thread* that forked exits, not the process. So every fork
// happens on one thread that lives as long as the process: children die with cloudphone, and
// never because some worker thread that happened to start them has ended.
class Spawner {
 public:
  static Spawner& instance() {
    static Spawner* spawner = new Spawner();  // never destroyed: its thread must outlive all users
    return *spawner;
  }
  // Runs fork_fn on the spawner thread and returns its result (a pid, or -errno).
  pid_t run(const std::function<pid_t()>& fork_fn) {
    std::packaged_task<pid_t()> task(fork_fn);
    auto result = task.get_future();
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
    return result.get();
  }

 private:
  Spawner() {
    std::thread([this] {
      for (;;) {
        std::packaged_task<pid_t()> task;
        {
          std::unique_lock lock(mu_);
          cv_.wait(lock, [this] { return !tasks_.empty(); });
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        task();
      }
    }).detach();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::packaged_task<pid_t()>> tasks_;
};

}  // namespace

std::string ExitInfo::describe() const {
  if (exited) return "exited with code " + std::to_string(code);
  return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::filesystem::path& stderr_log) {
  if (argv.empty()) throw RuntimeError("no program to run");
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw RuntimeError(std::string("pipe: ") + strerror(errno));
  int log_fd = open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t parent = getpid();
  pid_ = Spawner::instance().run([&]() -> pid_t {
    pid_t pid = fork();
    if (pid == 0) exec_child(cargv, out[1], log_fd, parent);
    return pid < 0 ? -errno : pid;
  });
  if (pid_ < 0) {
    int err = -pid_;
    close(out[0]);
    close(out[1]);
    if (log_fd >= 0) close(log_fd);
    throw RuntimeError(std::string("fork: ") + strerror(err));
  }
  close(out[1]);
  if (log_fd >= 0) close(log_fd);
  stdout_fd_ = out[0];
}

ChildProcess::~ChildProcess() {
  if (!exit_) terminate(std::chrono::milliseconds(0));
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::optional<std::string> ChildProcess::read_line_after(const std::string& marker,
                                                         std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (size_t nl; (nl = buffered_.find('\n')) != std::string::npos;) {
      std::string line = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      if (auto at = line.find(marker); at != std::string::npos) return line.substr(at + marker.size());
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{stdout_fd_, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    char buf[4096];
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;  // EOF: the child closed stdout (usually: it died)
    buffered_.append(buf, static_cast<size_t>(n));
  }
}

std::optional<ExitInfo> ChildProcess::try_reap() {
  if (exit_) return exit_;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) exit_ = decode_status(status);
  return exit_;
}

ExitInfo ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (try_reap()) return *exit_;
  if (grace.count() > 0) {
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
      if (try_reap()) return *exit_;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_ = decode_status(status);
  return *exit_;
}

}  // namespace cp::runtime
