#include "platform/pg_connection.h"

#include <poll.h>

#include <charconv>
#include <memory>

namespace cp::db {
namespace {

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700, kFloat8Oid = 701;
constexpr size_t kMaxCachedStatements = 500;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

Cell to_cell(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return std::monostate{};
  const char* value = PQgetvalue(res, row, col);
  int length = PQgetlength(res, row, col);
  Oid type = PQftype(res, col);
  if (type == kBoolOid) return int64_t{value[0] == 't' ? 1 : 0};
  if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value, value + length, n);
    if (ec == std::errc() && end == value + length) return n;
  } else if (type == kFloat8Oid || type == kFloat4Oid) {
    double d = 0;
    auto [end, ec] = std::from_chars(value, value + length, d);
    if (ec == std::errc() && end == value + length) return d;
  }
  return std::string(value, length);
}

std::string param_text(const Param& p) {
  if (auto* n = std::get_if<int64_t>(&p)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&p)) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);  // shortest exact form
    return std::string(buf, end);
  }
  if (auto* s = std::get_if<std::string>(&p)) return *s;
  return std::get<bool>(p) ? "1" : "0";  // booleans are INTEGER 0/1 (also valid BOOLEAN input)
}

void ignore_notice(void*, const char*) {}  // "relation already exists, skipping" etc.

}  // namespace

PgConnection::PgConnection(const std::string& conninfo, int statement_timeout_ms) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    // Transient: the server may be restarting; a transaction attempt can be retried.
    throw DbError("postgres: cannot connect: " + message, "08001", true);
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  run_script("SET statement_timeout = " + std::to_string(statement_timeout_ms));
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

bool PgConnection::reusable() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
  // A server that went away while we were idle has left an error and EOF on the socket.
  pollfd pfd{PQsocket(conn_), POLLIN, 0};
  if (poll(&pfd, 1, 0) > 0) {
    if (!PQconsumeInput(conn_)) return false;
    while (PGnotify* n = PQnotifies(conn_)) PQfreemem(n);
  }
  return PQstatus(conn_) == CONNECTION_OK;
}

void PgConnection::throw_error(PGresult* res, std::string_view sql) {
  std::string state;
  std::string message;
  if (res) {
    const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (s) state = s;
    message = PQresultErrorMessage(res);
  }
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  bool lost = PQstatus(conn_) != CONNECTION_OK;
  if (lost && state.empty()) state = "08006";
  throw DbError("postgres: " + message + " [" + std::string(sql.substr(0, 120)) + "]", state, lost);
}

const std::string& PgConnection::prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it != statements_.end()) return it->second;
  if (statements_.size() >= kMaxCachedStatements) {
    ResultPtr res(PQexec(conn_, "DEALLOCATE ALL"), &PQclear);
    statements_.clear();
  }
  std::string name = "cp" + std::to_string(++next_statement_);
  std::string text(sql);
  ResultPtr res(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr), &PQclear);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) throw_error(res.get(), sql);
  return statements_.emplace(std::move(text), std::move(name)).first->second;
}

Result PgConnection::run(std::string_view sql, const std::vector<Param>& params) {
  try {
    return run_prepared(sql, params);
  } catch (DbError& e) {
    // After ALTER TABLE a cached plan of "SELECT *" may no longer fit; prepare it afresh.
    if (e.sqlstate != "0A000" ||
        std::string_view(e.what()).find("cached plan") == std::string_view::npos) {
      throw;
    }
    statements_.erase(std::string(sql));
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      e.transient = true;  // inside a transaction: the whole transaction is retried
      throw;
    }
    return run_prepared(sql, params);
  }
}

Result PgConnection::run_prepared(std::string_view sql, const std::vector<Param>& params) {
  const std::string& name = prepare(sql);
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(params.size());
  values.reserve(params.size());
  for (const Param& p : params) {
    if (std::holds_alternative<std::nullptr_t>(p)) {
      texts.emplace_back();
      values.push_back(nullptr);
    } else {
      texts.push_back(param_text(p));
      values.push_back(texts.back().c_str());
    }
  }
  ResultPtr res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                               nullptr, nullptr, 0),
                &PQclear);
  ExecStatusType status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw_error(res.get(), sql);

  int ncols = PQnfields(res.get());
  int nrows = PQntuples(res.get());
  auto columns = std::make_shared<std::vector<std::string>>();
  for (int c = 0; c < ncols; ++c) columns->emplace_back(PQfname(res.get(), c));
  std::vector<Row> rows;
  rows.reserve(nrows);
  for (int r = 0; r < nrows; ++r) {
    std::vector<Cell> cells;
    cells.reserve(ncols);
    for (int c = 0; c < ncols; ++c) cells.push_back(to_cell(res.get(), r, c));
    rows.emplace_back(columns, std::move(cells));
  }
  int64_t affected = 0;
  std::string_view status_text = PQcmdStatus(res.get());
  std::string_view tuples = PQcmdTuples(res.get());
  if (!status_text.starts_with("SELECT") && !tuples.empty()) {
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), affected);
  }
  return Result(std::move(columns), std::move(rows), affected);
}

std::string PgConnection::run_script(std::string_view sql) {
  std::string text(sql);
  ResultPtr res(PQexec(conn_, text.c_str()), &PQclear);
  ExecStatusType status = PQresultStatus(res.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    throw_error(res.get(), sql);
  }
  return PQcmdStatus(res.get());
}

}  // namespace cp::db
