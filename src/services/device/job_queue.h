#pragma once
// A small fixed pool of worker threads for device work (provisioning, boot waits, stops), so
// HTTP handlers only write the new state and return. Threads are long-lived on purpose: the
// process runtime ties child lifetime to the spawning thread (PR_SET_PDEATHSIG).
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cp::device {

class JobQueue {
 public:
  JobQueue() = default;
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
};

}  // namespace cp::device
