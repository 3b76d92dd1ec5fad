// Transactional outbox: events are inserted into table `outbox` in the same transaction as the
// state change they announce, and an OutboxRelay publishes them to the bus afterwards. If the
// process dies between commit and publish the rows stay unpublished and are relayed later, so
// no event is lost; one may be published twice, hence consume_once on the consumer side.
// Tables come from apply_platform_migrations() (migrations.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "platform/db.h"
#include "platform/event_bus.h"
#include "platform/events.h"

namespace cp::events {

// Adds the event to the outbox within `tx`; after commit, relays over the same database wake up.
void enqueue_event(db::Transaction& tx, const CloudEvent& event);

// Runs `effect` and records (consumer, event.id) in processed_events, in one transaction.
// Returns false (running nothing) when this consumer already processed the event.
bool consume_once(db::Database& db, const std::string& consumer, const CloudEvent& event,
                  const std::function<void(db::Transaction&)>& effect);

struct OutboxRelayOptions {
  std::chrono::milliseconds poll_interval{1000};  // also catches rows of other processes
  int batch_size = 100;
  std::chrono::milliseconds first_error_delay{500};   // after a bus or database failure,
  std::chrono::milliseconds max_error_delay{30'000};  // doubling up to this
  std::chrono::hours keep_published{24 * 7};          // published rows are pruned after this
};

// Publishes unpublished outbox rows in order. Several relays (processes) may share one
// PostgreSQL database: rows are claimed with FOR UPDATE SKIP LOCKED.
class OutboxRelay {
 public:
  OutboxRelay(db::Database& db, EventBus& bus, OutboxRelayOptions options = {});
  ~OutboxRelay();  // stop()
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void start();  // background thread
  void stop();
  void poke();  // relay now (called automatically after commits that enqueued events)

  // One batch in the calling thread; returns how many events were published. A publish
  // failure leaves that row and the ones after it for the next round.
  int relay_once();
  int64_t pending_count();  // unpublished rows (metrics, tests)

 private:
  void run();
  void prune();

  db::Database& db_;
  EventBus& bus_;
  OutboxRelayOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stopping_ = false;
  bool last_batch_failed_ = false;
  std::thread thread_;
};

}  // namespace cp::events
