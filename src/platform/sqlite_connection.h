// One sqlite3 connection with its prepared-statement cache (keyed by SQL text). Not thread-safe:
// SqliteDatabase hands a connection to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "platform/db.h"

namespace cp::db {

class SqliteConnection {
 public:
  SqliteConnection(const std::string& path, int busy_timeout_ms, bool reader);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Prepares (or finds in the cache) a single statement.
  sqlite3_stmt* prepare(std::string_view sql);
  bool is_read_only(std::string_view sql) { return sqlite3_stmt_readonly(prepare(sql)) != 0; }
  Result run(std::string_view sql, const std::vector<Param>& params);
  void run_script(std::string_view sql);

 private:
  [[noreturn]] void throw_error(int rc, std::string_view sql) const;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace cp::db
