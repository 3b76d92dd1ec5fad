// Schema migrations, per service, recorded in schema_migrations(service, version, name,
// applied_at). Each migration runs in its own transaction together with its bookkeeping row,
// so a failed migration leaves nothing behind (PostgreSQL and SQLite both have transactional
// DDL; do not use CREATE INDEX CONCURRENTLY). Applying twice is a no-op; several processes may
// start at once (PostgreSQL: advisory lock; SQLite: the single writer).
//
// Migrations usually come from .sql files embedded at build time by cp_embed_migrations()
// (cmake/Embed.cmake): NNN_name.sql for both dialects, or NNN_name.sqlite.sql + NNN_name.pg.sql.
#pragma once

#include <string>
#include <vector>

#include "platform/db.h"

namespace cp::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;  // one or more statements
};

void apply_migrations(Database& db, const std::string& service,
                      const std::vector<Migration>& migrations);

// Versions of `service` already applied, ascending.
std::vector<int> applied_migrations(Database& db, const std::string& service);

// The platform's own tables (outbox, processed_events); whoever opens a database applies them.
std::vector<Migration> platform_migrations(Dialect dialect);
void apply_platform_migrations(Database& db);

}  // namespace cp::db
