#include "core/job_queue.h"

#include "core/log.h"

namespace cp {

void JobQueue::start(int workers) {
  std::lock_guard lock(mu_);
  stopping_ = false;
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { run(); });
}

void JobQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  idle_.notify_all();
}

void JobQueue::post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void JobQueue::drain() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return (jobs_.empty() && busy_ == 0) || stopping_; });
}

void JobQueue::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++busy_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      // Jobs record their own failures on the device; this is the last line of defence.
      log_event(spdlog::level::err, component_, "job failed", {{"error", e.what()}});
    }
    std::lock_guard lock(mu_);
    --busy_;
    if (jobs_.empty() && busy_ == 0) idle_.notify_all();
  }
}

}  // namespace cp
