#include "platform/outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <vector>

namespace cp::events {
namespace {

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Running relays by database, so a commit that enqueued events wakes them without the service
// having to know its relay.
std::mutex registry_mutex;
std::multimap<db::Database*, OutboxRelay*> relays_by_db;

void wake_relays(db::Database* db) {
  std::lock_guard lock(registry_mutex);
  auto [begin, end] = relays_by_db.equal_range(db);
  for (auto it = begin; it != end; ++it) it->second->poke();
}

void register_relay(db::Database* db, OutboxRelay* relay) {
  std::lock_guard lock(registry_mutex);
  relays_by_db.emplace(db, relay);
}

void unregister_relay(db::Database* db, OutboxRelay* relay) {
  std::lock_guard lock(registry_mutex);
  auto [begin, end] = relays_by_db.equal_range(db);
  for (auto it = begin; it != end; ++it) {
    if (it->second == relay) {
      relays_by_db.erase(it);
      return;
    }
  }
}

}  // namespace

void enqueue_event(db::Transaction& tx, const CloudEvent& event) {
  if (event.id.empty() || event.type.empty() || event.source.empty()) {
    throw std::invalid_argument("enqueue_event: id, type and source are required");
  }
  tx.exec("INSERT INTO outbox (event_id, type, payload, created_at) VALUES ($1, $2, $3, $4)",
          {event.id, event.type, to_json_string(event), now_ms()});
  tx.on_commit([db = &tx.database()] { wake_relays(db); });
}

bool consume_once(db::Database& db, const std::string& consumer, const CloudEvent& event,
                  const std::function<void(db::Transaction&)>& effect) {
  return db.transaction([&](db::Transaction& tx) {
    auto inserted = tx.exec(
        "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3) "
        "ON CONFLICT DO NOTHING",
        {consumer, event.id, now_ms()});
    if (inserted.affected() == 0) return false;
    effect(tx);
    return true;
  });
}

OutboxRelay::OutboxRelay(db::Database& db, EventBus& bus, OutboxRelayOptions options)
    : db_(db), bus_(bus), options_(options) {}

OutboxRelay::~OutboxRelay() {
  stop();
}

void OutboxRelay::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  poked_ = true;  // relay whatever an earlier run left behind
  register_relay(&db_, this);
  thread_ = std::thread([this] { run(); });
}

void OutboxRelay::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  unregister_relay(&db_, this);
  wake_.notify_all();
  thread_.join();
}

void OutboxRelay::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

int OutboxRelay::relay_once() {
  // PostgreSQL: SKIP LOCKED lets relays in other processes take other rows meanwhile.
  // SQLite: the transaction holds the single writer, which serialises relays anyway.
  std::string claim =
      "SELECT seq, payload FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1";
  if (db_.dialect() == db::Dialect::postgres) claim += " FOR UPDATE SKIP LOCKED";
  bool failed = false;
  int published = db_.transaction([&](db::Transaction& tx) {
    failed = false;
    std::vector<int64_t> seqs;
    std::vector<CloudEvent> events;
    for (const db::Row& row : tx.exec(claim, {int64_t{options_.batch_size}})) {
      int64_t seq = row.int64(0);
      try {
        events.push_back(event_from_json_string(row.text(1)));
        seqs.push_back(seq);
      } catch (const std::exception& e) {
        // A row we cannot read would block the outbox forever; park it, loudly.
        spdlog::error("outbox: row {} is not a CloudEvent ({}); parked", seq, e.what());
        tx.exec("UPDATE outbox SET published_at = $1, last_error = $2 WHERE seq = $3",
                {int64_t{-1}, std::string(e.what()), seq});
      }
    }
    // One batch: a bus with publisher confirms waits for them once, not per row. Only what
    // the bus took is marked; the first refused row and the ones after it wait (in order).
    std::string error;
    const size_t taken = events.empty() ? 0 : bus_.publish_batch(events, error);
    for (size_t i = 0; i < taken; ++i) {
      tx.exec("UPDATE outbox SET published_at = $1, attempts = attempts + 1 WHERE seq = $2",
              {now_ms(), seqs[i]});
    }
    if (taken < events.size()) {
      spdlog::warn("outbox: publishing {} {} failed: {}", events[taken].type, events[taken].id,
                   error);
      tx.exec("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE seq = $2",
              {error, seqs[taken]});
      failed = true;
    }
    return static_cast<int>(taken);
  });
  std::lock_guard lock(mutex_);
  last_batch_failed_ = failed;
  return published;
}

int64_t OutboxRelay::pending_count() {
  return db_.exec("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL").one().int64(0);
}

void OutboxRelay::prune() {
  int64_t cutoff =
      now_ms() -
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.keep_published).count();
  db_.exec("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1", {cutoff});
}

void OutboxRelay::run() {
  auto error_delay = options_.first_error_delay;
  auto next_prune = std::chrono::steady_clock::now();
  for (;;) {
    bool failed = false;
    int published = 0;
    try {
      published = relay_once();
      std::lock_guard lock(mutex_);
      failed = last_batch_failed_;
    } catch (const std::exception& e) {
      spdlog::warn("outbox: relay round failed: {}", e.what());
      failed = true;
    }
    if (!failed && std::chrono::steady_clock::now() >= next_prune) {
      try {
        prune();
      } catch (const std::exception& e) {
        spdlog::warn("outbox: pruning failed: {}", e.what());
      }
      next_prune = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (failed) {
      // Back off; pokes do not cut the wait short, or a broken bus would be hammered.
      wake_.wait_for(lock, error_delay, [&] { return stopping_; });
      error_delay = std::min(error_delay * 2, options_.max_error_delay);
      continue;
    }
    error_delay = options_.first_error_delay;
    if (published >= options_.batch_size) continue;  // more may be waiting
    wake_.wait_for(lock, options_.poll_interval, [&] { return stopping_ || poked_; });
    poked_ = false;
    if (stopping_) return;
  }
}

}  // namespace cp::events
