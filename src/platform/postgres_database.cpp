#include "platform/postgres_database.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "platform/pg_connection.h"

namespace cp::db {
namespace {

constexpr auto kPoolWait = std::chrono::seconds(30);

struct PgSettings {
  std::string conninfo;  // the URL without our own options
  int pool_size = 20;
  int statement_timeout_ms = 30000;
};

int parse_positive(const std::string& key, const std::string& value) {
  try {
    size_t used = 0;
    int n = std::stoi(value, &used);
    if (used == value.size() && n >= 0) return n;
  } catch (const std::exception&) {
  }
  throw DbError("postgres url: bad " + key + "=" + value);
}

PgSettings parse_url(const std::string& url, int default_pool_size) {
  PgSettings s;
  s.pool_size = default_pool_size;
  size_t q = url.find('?');
  s.conninfo = url.substr(0, q);
  if (q == std::string::npos) return s;
  std::string kept;
  size_t pos = q + 1;
  while (pos <= url.size()) {
    size_t amp = url.find('&', pos);
    if (amp == std::string::npos) amp = url.size();
    std::string pair = url.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (key == "pool_size") {
      s.pool_size = parse_positive(key, value);
    } else if (key == "statement_timeout") {
      s.statement_timeout_ms = parse_positive(key, value);
    } else {
      kept += (kept.empty() ? "?" : "&") + pair;
    }
  }
  s.conninfo += kept;
  if (s.pool_size < 1) s.pool_size = 1;
  return s;
}

// Lends connections to one thread at a time; opens them lazily up to pool_size; replaces
// connections that broke or were left mid-transaction.
class PgPool {
 public:
  explicit PgPool(PgSettings settings) : settings_(std::move(settings)) {}

  std::unique_ptr<PgConnection> acquire() {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, kPoolWait,
                             [&] { return !idle_.empty() || open_ < settings_.pool_size; })) {
      throw DbError("postgres: no free connection in the pool after 30 s", "53300", true);
    }
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->reusable()) return conn;
      --open_;  // dropped; a fresh one is opened below
    }
    ++open_;
    lock.unlock();
    try {
      return std::make_unique<PgConnection>(settings_.conninfo, settings_.statement_timeout_ms);
    } catch (...) {
      lock.lock();
      --open_;
      available_.notify_one();
      throw;
    }
  }

  void release(std::unique_ptr<PgConnection> conn) {
    {
      std::lock_guard lock(mutex_);
      if (conn && conn->reusable()) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
      }
    }
    available_.notify_one();
  }

 private:
  PgSettings settings_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
};

// Returns the connection to the pool however the borrower leaves.
class Lease {
 public:
  explicit Lease(PgPool& pool) : pool_(pool), conn_(pool.acquire()) {}
  ~Lease() { pool_.release(std::move(conn_)); }
  PgConnection* operator->() { return conn_.get(); }

 private:
  PgPool& pool_;
  std::unique_ptr<PgConnection> conn_;
};

class PgTransaction final : public Transaction {
 public:
  PgTransaction(Database& db, PgPool& pool) : Transaction(db), lease_(pool) {
    lease_->run_script("BEGIN");
  }
  ~PgTransaction() override { rollback(); }

  Dialect dialect() const override { return Dialect::postgres; }
  Result exec(std::string_view sql, const std::vector<Param>& params) override {
    check_open();
    return lease_->run(sql, params);
  }
  void exec_script(std::string_view sql) override {
    check_open();
    lease_->run_script(sql);
  }

 protected:
  void commit() override {
    check_open();
    std::string status;
    try {
      status = lease_->run_script("COMMIT");
    } catch (DbError& e) {
      finished_ = true;
      e.transient = false;  // the outcome of a COMMIT whose reply was lost is unknown
      throw;
    }
    finished_ = true;
    // COMMIT of a transaction in which a statement failed silently rolls back.
    if (status != "COMMIT") {
      throw DbError("transaction was aborted by an earlier error and rolled back", "25P02");
    }
  }

  void rollback() noexcept override {
    if (finished_) return;
    finished_ = true;
    try {
      if (!lease_->broken()) lease_->run_script("ROLLBACK");
    } catch (const DbError&) {
      // The pool drops a connection that is not idle afterwards.
    }
  }

 private:
  void check_open() const {
    if (finished_) throw DbError("transaction already finished");
  }

  Lease lease_;
  bool finished_ = false;
};

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(PgSettings settings) : pool_(std::move(settings)) {
    Lease probe(pool_);  // fail at open time on a wrong URL, not on the first request
  }

  Dialect dialect() const override { return Dialect::postgres; }

  Result exec(std::string_view sql, const std::vector<Param>& params) override {
    Lease lease(pool_);
    return lease->run(sql, params);
  }

  void exec_script(std::string_view sql) override {
    Lease lease(pool_);
    lease->run_script(sql);
  }

  bool ping() override {
    try {
      Lease lease(pool_);
      lease->run_script("SELECT 1");
      return true;
    } catch (const DbError&) {
      return false;
    }
  }

 protected:
  std::unique_ptr<Transaction> begin_transaction() override {
    return std::make_unique<PgTransaction>(*this, pool_);
  }

 private:
  PgPool pool_;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size) {
  return std::make_unique<PostgresDatabase>(parse_url(url, pool_size));
}

}  // namespace cp::db
