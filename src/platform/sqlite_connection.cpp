#include "platform/sqlite_connection.h"

#include <cctype>

namespace cp::db {
namespace {

// Dynamic SQL with ever-changing text would grow the cache without bound; start over instead.
constexpr size_t kMaxCachedStatements = 500;

// SQLite constraint codes mapped onto PostgreSQL SQLSTATEs so callers test one thing.
std::string sqlstate_for(int extended_rc) {
  switch (extended_rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return "23505";
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return "23503";
    case SQLITE_CONSTRAINT_NOTNULL:
      return "23502";
    case SQLITE_CONSTRAINT_CHECK:
      return "23514";
    default:
      break;
  }
  switch (extended_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "55P03";  // lock_not_available
    case SQLITE_CONSTRAINT:
      return "23000";
    default:
      return "";
  }
}

bool only_whitespace_or_semicolons(const char* p) {
  for (; *p; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') return false;
  }
  return true;
}

// Resets the statement however run() leaves, so the cached statement is reusable.
struct StatementReset {
  sqlite3_stmt* stmt;
  ~StatementReset() {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, int busy_timeout_ms, bool reader) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw DbError("sqlite: cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  if (reader) {
    run_script("PRAGMA query_only = ON;");
  } else {
    // WAL lets readers run beside the writer; NORMAL sync is durable across app crashes.
    run_script("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
  }
  run_script("PRAGMA foreign_keys = ON;");
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void SqliteConnection::throw_error(int rc, std::string_view sql) const {
  int extended = sqlite3_extended_errcode(db_);
  if (extended == 0) extended = rc;
  std::string state = sqlstate_for(extended);
  bool transient = (extended & 0xff) == SQLITE_BUSY || (extended & 0xff) == SQLITE_LOCKED;
  std::string head(sql.substr(0, 120));
  throw DbError("sqlite: " + std::string(sqlite3_errmsg(db_)) + " [" + head + "]", state,
                transient);
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
    statements_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) throw_error(rc, sql);
  if (stmt == nullptr) throw DbError("sqlite: empty statement");
  std::string rest(tail, sql.data() + sql.size() - tail);
  if (!only_whitespace_or_semicolons(rest.c_str())) {
    sqlite3_finalize(stmt);
    throw DbError("exec() takes one statement; use exec_script() for several");
  }
  statements_.emplace(std::string(sql), stmt);
  return stmt;
}

Result SqliteConnection::run(std::string_view sql, const std::vector<Param>& params) {
  sqlite3_stmt* stmt = prepare(sql);
  StatementReset reset{stmt};
  int expected = sqlite3_bind_parameter_count(stmt);
  if (expected != static_cast<int>(params.size())) {
    throw DbError("statement has " + std::to_string(expected) + " placeholders, got " +
                  std::to_string(params.size()) + " params");
  }
  for (size_t i = 0; i < params.size(); ++i) {
    std::string name = "$" + std::to_string(i + 1);
    int index = sqlite3_bind_parameter_index(stmt, name.c_str());
    if (index == 0) throw DbError("placeholder " + name + " missing (use $1..$n)");
    const Param& p = params[i];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(p)) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (auto* n = std::get_if<int64_t>(&p)) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (auto* d = std::get_if<double>(&p)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (auto* s = std::get_if<std::string>(&p)) {
      // The params outlive the step, so SQLite need not copy.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_int64(stmt, index, std::get<bool>(p) ? 1 : 0);
    }
    if (rc != SQLITE_OK) throw_error(rc, sql);
  }

  int column_count = sqlite3_column_count(stmt);
  auto columns = std::make_shared<std::vector<std::string>>();
  for (int c = 0; c < column_count; ++c) columns->emplace_back(sqlite3_column_name(stmt, c));
  std::vector<Row> rows;
  sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
  bool read_only = sqlite3_stmt_readonly(stmt) != 0;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) throw_error(rc, sql);
    std::vector<Cell> cells;
    cells.reserve(column_count);
    for (int c = 0; c < column_count; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          cells.emplace_back(std::monostate{});
          break;
        case SQLITE_INTEGER:
          cells.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_FLOAT:
          cells.emplace_back(sqlite3_column_double(stmt, c));
          break;
        default: {  // TEXT or BLOB: bytes as they are
          const void* data = sqlite3_column_blob(stmt, c);
          int size = sqlite3_column_bytes(stmt, c);
          cells.emplace_back(std::string(static_cast<const char*>(data ? data : ""), size));
        }
      }
    }
    rows.emplace_back(columns, std::move(cells));
  }
  int64_t affected = read_only ? 0 : sqlite3_total_changes64(db_) - changes_before;
  return Result(std::move(columns), std::move(rows), affected);
}

void SqliteConnection::run_script(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    int extended = sqlite3_extended_errcode(db_);
    bool transient = (extended & 0xff) == SQLITE_BUSY || (extended & 0xff) == SQLITE_LOCKED;
    throw DbError("sqlite: " + message, sqlstate_for(extended), transient);
  }
}

}  // namespace cp::db
