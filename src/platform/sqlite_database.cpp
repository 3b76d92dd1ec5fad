#include "platform/sqlite_database.h"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "platform/sqlite_connection.h"

namespace cp::db {
namespace {

// A transaction owns the writer connection (and its mutex) from BEGIN to COMMIT/ROLLBACK.
// After a failed statement it refuses further work, as PostgreSQL does ("current transaction
// is aborted"), so code tested on SQLite behaves the same on PostgreSQL.
class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(Database& db, SqliteConnection& conn, std::unique_lock<std::mutex> lock,
                    std::atomic<std::thread::id>& owner)
      : Transaction(db), conn_(conn), lock_(std::move(lock)), owner_(owner) {
    conn_.run_script("BEGIN IMMEDIATE");
    owner_ = std::this_thread::get_id();
  }
  ~SqliteTransaction() override { rollback(); }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result exec(std::string_view sql, const std::vector<Param>& params) override {
    check_usable();
    try {
      return conn_.run(sql, params);
    } catch (const DbError&) {
      aborted_ = true;
      throw;
    }
  }

  void exec_script(std::string_view sql) override {
    check_usable();
    try {
      conn_.run_script(sql);
    } catch (const DbError&) {
      aborted_ = true;
      throw;
    }
  }

 protected:
  void commit() override {
    check_usable();
    conn_.run_script("COMMIT");
    finished_ = true;
    release_writer();
  }

  void rollback() noexcept override {
    if (finished_) return;
    finished_ = true;
    try {
      conn_.run_script("ROLLBACK");
    } catch (const DbError&) {
      // Nothing to undo (SQLite may already have rolled back on a fatal error).
    }
    release_writer();
  }

 private:
  void release_writer() {
    owner_ = std::thread::id();
    lock_.unlock();
  }

  void check_usable() const {
    if (finished_) throw DbError("transaction already finished");
    if (aborted_) {
      throw DbError("current transaction is aborted, commands ignored until end of transaction",
                    "25P02");
    }
  }

  SqliteConnection& conn_;
  std::unique_lock<std::mutex> lock_;
  std::atomic<std::thread::id>& owner_;
  bool finished_ = false;
  bool aborted_ = false;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const std::string& path, const SqliteOptions& options)
      : path_(path), options_(options) {
    writer_ = std::make_unique<SqliteConnection>(path, options.busy_timeout_ms, false);
    bool memory = path == ":memory:" || path.find("mode=memory") != std::string::npos;
    int readers = memory ? 0 : options.readers;
    for (int i = 0; i < readers; ++i) {
      readers_.push_back(std::make_unique<SqliteConnection>(path, options.busy_timeout_ms, true));
      idle_readers_.push_back(readers_.back().get());
    }
  }

  ~SqliteDatabase() override {
    readers_.clear();
    writer_.reset();
    if (options_.delete_files_on_close) {
      for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
    }
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result exec(std::string_view sql, const std::vector<Param>& params) override {
    if (!readers_.empty()) {
      SqliteConnection* reader = acquire_reader();
      try {
        if (reader->is_read_only(sql)) {
          Result result = reader->run(sql, params);
          release_reader(reader);
          return result;
        }
      } catch (...) {
        release_reader(reader);
        throw;
      }
      release_reader(reader);
    }
    std::lock_guard lock(lock_writer());
    return writer_->run(sql, params);
  }

  void exec_script(std::string_view sql) override {
    std::lock_guard lock(lock_writer());
    writer_->run_script(sql);
  }

  bool ping() override {
    try {
      return exec("SELECT 1", {}).one().int64(0) == 1;
    } catch (const std::exception&) {
      return false;
    }
  }

 protected:
  std::unique_ptr<Transaction> begin_transaction() override {
    std::unique_lock lock(lock_writer());
    return std::make_unique<SqliteTransaction>(*this, *writer_, std::move(lock), writer_owner_);
  }

 private:
  // The writer mutex, after checking that this thread is not inside a transaction: writing
  // through the Database (or nesting transaction()) there would wait for itself forever.
  std::mutex& lock_writer() {
    if (writer_owner_.load() == std::this_thread::get_id()) {
      throw DbError("sqlite: write through the Database inside a transaction; use the Transaction");
    }
    return writer_mutex_;
  }

  SqliteConnection* acquire_reader() {
    std::unique_lock lock(readers_mutex_);
    readers_free_.wait(lock, [&] { return !idle_readers_.empty(); });
    SqliteConnection* conn = idle_readers_.back();
    idle_readers_.pop_back();
    return conn;
  }

  void release_reader(SqliteConnection* conn) {
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(conn);
    }
    readers_free_.notify_one();
  }

  std::string path_;
  SqliteOptions options_;
  std::mutex writer_mutex_;
  std::atomic<std::thread::id> writer_owner_;  // thread inside a transaction, if any
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex readers_mutex_;
  std::condition_variable readers_free_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> idle_readers_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const SqliteOptions& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace cp::db
