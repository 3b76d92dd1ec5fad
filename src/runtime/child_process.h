#pragma once
// A child process started with fork/exec: stdout on a pipe we read, stderr appended to a log
// file. The child gets an empty signal mask (the parent blocks SIGTERM/SIGINT for its own
// shutdown handling, and a blocked SIGTERM would make a clean stop impossible) and dies with
// SIGKILL when cloudphone dies (PR_SET_PDEATHSIG, armed from one process-lifetime spawner
// thread), so a crashed cloudphone leaves no orphan devices behind.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cp::runtime {

struct ExitInfo {
  bool exited = false;  // normal exit (code) vs killed (signal)
  int code = 0;
  int signal = 0;
  std::string describe() const;  // "exited with code 3", "killed by signal 9"
};

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& stderr_log);
  ~ChildProcess();  // SIGKILL + reap when still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Reads stdout until a line containing `marker`; returns the rest of that line after the
  // marker, or nullopt on EOF (child died) or timeout.
  std::optional<std::string> read_line_after(const std::string& marker,
                                             std::chrono::milliseconds timeout);
  // Non-blocking: the exit status once the child has exited (and is reaped), else nullopt.
  std::optional<ExitInfo> try_reap();
  // SIGTERM, wait up to `grace`, then SIGKILL; always reaps.
  ExitInfo terminate(std::chrono::milliseconds grace);
  bool reaped() const { return exit_.has_value(); }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
  std::optional<ExitInfo> exit_;
};

}  // namespace cp::runtime
