// Database access: one interface over SQLite (embedded default) and PostgreSQL (libpq).
//
// Portable SQL rules — every statement in the code base must run unchanged on both backends:
//  - Placeholders are $1..$n (SQLite binds them by name "$1", PostgreSQL takes them as-is).
//    Every placeholder up to n must be used; the number of params must equal n.
//  - Column types: TEXT, BIGINT, INTEGER, DOUBLE PRECISION only. Booleans are INTEGER 0/1
//    (a bool param binds as 0/1). Time is BIGINT unix milliseconds. Ids are prefixed TEXT.
//    Money is BIGINT minor units.
//  - No `::` casts (use CAST(x AS BIGINT)), no ILIKE, no SERIAL (ids are generated in C++;
//    where an auto sequence is unavoidable, give dialect-specific migrations).
//  - Upserts: INSERT ... ON CONFLICT (cols) DO NOTHING / DO UPDATE SET x = excluded.x.
//    RETURNING is allowed. LIMIT/OFFSET are allowed.
//  - One statement per exec(); multi-statement scripts only via exec_script() (no params).
//  - Aggregates: SUM() of BIGINT is NUMERIC on PostgreSQL; read it with int64() (text is parsed).
//
// All calls block; callers run them off I/O threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace cp::db {

using Param = std::variant<std::nullptr_t, int64_t, double, std::string, bool>;

// Errors from either backend. `sqlstate` is the PostgreSQL SQLSTATE; SQLite errors are mapped
// onto the same codes where one exists (constraints), so callers test one thing.
struct DbError : std::runtime_error {
  DbError(const std::string& message, std::string sqlstate_code = {}, bool is_transient = false)
      : std::runtime_error(message), sqlstate(std::move(sqlstate_code)), transient(is_transient) {}
  std::string sqlstate;
  // Lock contention / serialization failure / lost connection before commit: the whole
  // transaction may be run again. Database::transaction() does so by itself.
  bool transient = false;

  bool unique_violation() const { return sqlstate == "23505"; }
  bool foreign_key_violation() const { return sqlstate == "23503"; }
  bool not_null_violation() const { return sqlstate == "23502"; }
  bool check_violation() const { return sqlstate == "23514"; }
  bool retryable() const { return transient || sqlstate == "40001" || sqlstate == "40P01"; }
};

// Result::one() on zero rows (or more than one).
struct NotFound : DbError {
  explicit NotFound(const std::string& message) : DbError(message, "P0002") {}
};

// One cell as the backend delivered it. SQLite gives typed values; PostgreSQL integer/bool/float
// columns are converted from text by type OID, everything else stays text.
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Cell> cells)
      : columns_(std::move(columns)), cells_(std::move(cells)) {}

  size_t size() const { return cells_.size(); }
  const std::string& column_name(size_t i) const { return (*columns_).at(i); }
  size_t index_of(std::string_view column) const;  // throws DbError when absent

  bool is_null(size_t i) const;
  std::string text(size_t i) const;  // int/real cells are formatted
  int64_t int64(size_t i) const;     // text cells are parsed; throws DbError on NULL/garbage
  double real(size_t i) const;
  bool boolean(size_t i) const;  // 0/1, t/f, true/false
  std::optional<std::string> opt_text(size_t i) const;
  std::optional<int64_t> opt_int64(size_t i) const;
  std::optional<double> opt_real(size_t i) const;

  bool is_null(std::string_view c) const { return is_null(index_of(c)); }
  std::string text(std::string_view c) const { return text(index_of(c)); }
  int64_t int64(std::string_view c) const { return int64(index_of(c)); }
  double real(std::string_view c) const { return real(index_of(c)); }
  bool boolean(std::string_view c) const { return boolean(index_of(c)); }
  std::optional<std::string> opt_text(std::string_view c) const { return opt_text(index_of(c)); }
  std::optional<int64_t> opt_int64(std::string_view c) const { return opt_int64(index_of(c)); }
  std::optional<double> opt_real(std::string_view c) const { return opt_real(index_of(c)); }

  const Cell& cell(size_t i) const { return cells_.at(i); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Cell> cells_;
};

class Result {
 public:
  Result() = default;
  Result(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Row> rows,
         int64_t affected)
      : columns_(std::move(columns)), rows_(std::move(rows)), affected_(affected) {}

  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  // On a temporary Result (db.exec(...).one()) these return the Row by value, so
  // `const Row& r = db.exec(...).one();` does not dangle.
  const Row& operator[](size_t i) const& { return rows_.at(i); }
  Row operator[](size_t i) && { return std::move(rows_.at(i)); }
  const Row& one() const&;  // exactly one row, else NotFound
  Row one() && { return std::move(const_cast<Row&>(static_cast<const Result&>(*this).one())); }
  // Rows changed by INSERT/UPDATE/DELETE (0 for SELECT and DDL).
  int64_t affected() const { return affected_; }
  const std::vector<std::string>& columns() const;

  auto begin() const { return rows_.begin(); }
  auto end() const { return rows_.end(); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Row> rows_;
  int64_t affected_ = 0;
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual Result exec(std::string_view sql, const std::vector<Param>& params = {}) = 0;
  // Several ';'-separated statements, no params (migrations).
  virtual void exec_script(std::string_view sql) = 0;
};

enum class Dialect { sqlite, postgres };
const char* dialect_name(Dialect d);

class Database;

// A unit of work on one connection, obtained only via Database::transaction.
class Transaction : public Executor {
 public:
  // Runs fn after a successful commit (not on rollback), e.g. to wake the outbox relay.
  void on_commit(std::function<void()> fn) { on_commit_.push_back(std::move(fn)); }
  virtual Dialect dialect() const = 0;
  Database& database() { return database_; }

 protected:
  explicit Transaction(Database& database) : database_(database) {}
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

 private:
  friend class Database;
  Database& database_;
  std::vector<std::function<void()>> on_commit_;
};

class Database : public Executor {
 public:
  virtual Dialect dialect() const = 0;
  virtual bool ping() = 0;  // cheap round trip, for /ready

  // Runs fn in one transaction: commit on return, rollback on exception (rethrown).
  // On a retryable failure (serialization failure, deadlock, SQLITE_BUSY, connection lost
  // before commit) the whole of fn runs again, up to kMaxTransactionAttempts times — so fn
  // must not have side effects outside the transaction (use Transaction::on_commit for those).
  // Inside fn use the Transaction, not the Database: a write through the Database (or a nested
  // transaction()) is another connection — on SQLite it throws, on PostgreSQL it may block on
  // the locks fn holds.
  template <class F>
  auto transaction(F&& fn) -> std::invoke_result_t<F, Transaction&>;

  static constexpr int kMaxTransactionAttempts = 5;

 protected:
  virtual std::unique_ptr<Transaction> begin_transaction() = 0;
  static void commit(Transaction& tx) { tx.commit(); }
  static void rollback(Transaction& tx) noexcept { tx.rollback(); }
  static void run_on_commit(Transaction& tx) noexcept;
  static void backoff_before_retry(int attempt);
};

template <class F>
auto Database::transaction(F&& fn) -> std::invoke_result_t<F, Transaction&> {
  using R = std::invoke_result_t<F, Transaction&>;
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<Transaction> tx;
    try {
      tx = begin_transaction();
      if constexpr (std::is_void_v<R>) {
        fn(*tx);
        commit(*tx);
        run_on_commit(*tx);
        return;
      } else {
        R result = fn(*tx);
        commit(*tx);
        run_on_commit(*tx);
        return result;
      }
    } catch (const DbError& e) {
      if (tx) rollback(*tx);
      if (!e.retryable() || attempt >= kMaxTransactionAttempts) throw;
      backoff_before_retry(attempt);
    } catch (...) {
      if (tx) rollback(*tx);
      throw;
    }
  }
}

// "sqlite:/path/file.db", "sqlite::memory:", "sqlite:relative.db",
// "postgres://user:pass@host:port/db?sslmode=disable&pool_size=20&statement_timeout=30000"
// (also "postgresql://"). pool_size in the URL wins over the argument.
std::unique_ptr<Database> open_database(const std::string& url, int pool_size = 20);

}  // namespace cp::db
