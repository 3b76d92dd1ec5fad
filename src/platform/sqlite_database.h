// SQLite backend: WAL, one writer connection behind a mutex (all writes and every transaction
// use it; BEGIN IMMEDIATE so a transaction never fails half-way on a lock upgrade) plus a few
// reader connections for read-only statements outside transactions. ":memory:" has the writer
// only (each connection would see its own empty database).
#pragma once

#include <memory>
#include <string>

#include "platform/db.h"

namespace cp::db {

struct SqliteOptions {
  int readers = 4;
  int busy_timeout_ms = 5000;
  bool delete_files_on_close = false;  // tests: remove file, -wal and -shm when closed
};

std::unique_ptr<Database> open_sqlite(const std::string& path, const SqliteOptions& options);

}  // namespace cp::db
