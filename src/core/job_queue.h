#pragma once
// A small fixed pool of worker threads for a service's background work (device provisioning,
// boot waits, app installs), so HTTP handlers only write the new state and return; the pool
// size bounds how much runs at once. Threads are long-lived on purpose: the process runtime
// ties child lifetime to the spawning thread (PR_SET_PDEATHSIG).
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cp {

class JobQueue {
 public:
  // `component` names the owner in the log line of a failed job.
  explicit JobQueue(std::string component = "jobs") : component_(std::move(component)) {}
  ~JobQueue() { stop(); }
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  void start(int workers);
  // Finishes the running jobs, drops the queued ones, joins the workers.
  void stop();
  void post(std::function<void()> job);
  // Blocks until nothing is queued or running (tests).
  void drain();
  // True once stop() began: long jobs (boot waits) give up so shutdown is prompt.
  bool stopping() {
    std::lock_guard lock(mu_);
    return stopping_;
  }

 private:
  void run();
  std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  int busy_ = 0;
  bool stopping_ = false;
  std::string component_;
};

}  // namespace cp
