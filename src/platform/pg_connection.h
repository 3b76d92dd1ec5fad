// One libpq connection and its prepared statements. Not thread-safe: PgPool lends a
// connection to one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "platform/db.h"

namespace cp::db {

class PgConnection {
 public:
  PgConnection(const std::string& conninfo, int statement_timeout_ms);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result run(std::string_view sql, const std::vector<Param>& params);
  // Several statements, no params; returns the command status of the last one ("COMMIT").
  std::string run_script(std::string_view sql);

  // False when the server closed the connection or it is left inside a transaction.
  bool reusable();
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

 private:
  const std::string& prepare(std::string_view sql);
  Result run_prepared(std::string_view sql, const std::vector<Param>& params);
  [[noreturn]] void throw_error(PGresult* res, std::string_view sql);

  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> statement name
  uint64_t next_statement_ = 0;
};

}  // namespace cp::db
