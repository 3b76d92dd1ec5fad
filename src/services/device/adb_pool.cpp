#include "services/device/adb_pool.h"

#include <algorithm>
#include <vector>

namespace cp::device {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds adb_backoff(const AdbPoolOptions& options, int failures) {
  auto delay = options.first_backoff;
  for (int i = 1; i < failures && delay < options.max_backoff; ++i) delay *= 2;
  return std::min(delay, options.max_backoff);
}

std::shared_ptr<AdbPool::Entry> AdbPool::entry(const std::string& device_id) {
  std::lock_guard lock(mu_);
  auto& e = entries_[device_id];
  if (!e) e = std::make_shared<Entry>();
  return e;
}

std::shared_ptr<adb::AdbConnection> AdbPool::get(const std::string& device_id,
                                                 const runtime::AdbEndpoint& ep) {
  auto e = entry(device_id);
  std::lock_guard connect(e->connect_mu);
  if (e->endpoint != ep) {
    // A new endpoint: the old connection (and its backoff) belong to an instance that is gone.
    e->conn.reset();
    e->failures = 0;
    e->endpoint = ep;
  }
  if (e->conn && e->conn->alive()) {
    std::lock_guard lock(mu_);
    ++stats_.reuses;
    return e->conn;
  }
  e->conn.reset();
  auto now = Clock::now();
  if (e->failures > 0 && now < e->retry_at) {
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(e->retry_at - now);
    {
      std::lock_guard lock(mu_);
      ++stats_.fast_failures;
    }
    throw AdbUnavailable(e->last_error + " (next attempt in " + std::to_string(wait.count()) +
                         " ms)");
  }
  adb::AdbConnectOptions options;
  options.connect_timeout = options_.connect_timeout;
  options.io_timeout = options_.io_timeout;
  try {
    e->conn =
        std::shared_ptr<adb::AdbConnection>(adb::AdbConnection::connect(ep.host, ep.port, options));
  } catch (const std::exception& ex) {
    ++e->failures;
    e->retry_at = Clock::now() + adb_backoff(options_, e->failures);
    e->last_error = ex.what();
    {
      std::lock_guard lock(mu_);
      ++stats_.connect_failures;
    }
    throw AdbUnavailable(e->last_error);
  }
  e->failures = 0;
  std::lock_guard lock(mu_);
  ++stats_.connects;
  return e->conn;
}

void AdbPool::drop(const std::string& device_id) {
  std::shared_ptr<Entry> e;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(device_id);
    if (it == entries_.end()) return;
    e = it->second;
    entries_.erase(it);
  }
  // Close outside the pool lock: ~AdbConnection joins its threads. A connect in progress on
  // the entry finishes on the orphaned entry and is released with it.
  std::shared_ptr<adb::AdbConnection> conn;
  {
    std::unique_lock connect(e->connect_mu, std::try_to_lock);
    if (connect.owns_lock()) conn = std::move(e->conn);
  }
}

void AdbPool::failed(const std::string& device_id, const std::shared_ptr<adb::AdbConnection>& conn,
                     bool force) {
  if (!conn || (!force && conn->alive()))
    return;  // a command failed on a healthy connection: keep it
  auto e = entry(device_id);
  std::lock_guard connect(e->connect_mu);
  if (e->conn == conn) e->conn.reset();
}

AdbPool::Stats AdbPool::stats() {
  std::vector<std::shared_ptr<Entry>> all;
  Stats s;
  {
    std::lock_guard lock(mu_);
    s = stats_;
    for (const auto& [_, e] : entries_) all.push_back(e);
  }
  s.open = 0;
  for (const auto& e : all) {
    std::unique_lock connect(e->connect_mu, std::try_to_lock);
    if (connect.owns_lock() && e->conn && e->conn->alive()) ++s.open;
  }
  return s;
}

}  // namespace cp::device
