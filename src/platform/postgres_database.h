// PostgreSQL backend over libpq: a pool of blocking connections, each with its own cache of
// prepared statements keyed by SQL text (PQprepare once, PQexecPrepared after), text-format
// params, SQLSTATE in DbError, connections checked when borrowed and replaced when broken.
//
// URL options understood here (removed before the URL reaches libpq):
//   pool_size=N            connections at most (default: the open_database argument, 20)
//   statement_timeout=MS   per-statement limit on the server (default 30000; 0 = none)
// Everything else (sslmode, connect_timeout, application_name, ...) goes to libpq as is.
#pragma once

#include <memory>
#include <string>

#include "platform/db.h"

namespace cp::db {

std::unique_ptr<Database> open_postgres(const std::string& url, int pool_size);

}  // namespace cp::db
