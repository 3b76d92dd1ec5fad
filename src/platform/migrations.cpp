#include "platform/migrations.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <spdlog/spdlog.h>

#include "cp_migrations/platform.h"

namespace cp::db {
namespace {

// Arbitrary constant: the key of the PostgreSQL advisory lock taken while migrating.
constexpr int64_t kMigrationLockKey = 7245104913;

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void create_bookkeeping_table(Database& db) {
  db.exec_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " service TEXT NOT NULL,"
      " version BIGINT NOT NULL,"
      " name TEXT NOT NULL,"
      " applied_at BIGINT NOT NULL,"
      " PRIMARY KEY (service, version))");
}

}  // namespace

std::vector<int> applied_migrations(Database& db, const std::string& service) {
  create_bookkeeping_table(db);
  std::vector<int> versions;
  for (const Row& row :
       db.exec("SELECT version FROM schema_migrations WHERE service = $1 ORDER BY version",
               {service})) {
    versions.push_back(static_cast<int>(row.int64(0)));
  }
  return versions;
}

void apply_migrations(Database& db, const std::string& service,
                      const std::vector<Migration>& migrations) {
  std::vector<const Migration*> ordered;
  std::set<int> seen;
  for (const Migration& m : migrations) {
    if (!seen.insert(m.version).second) {
      throw DbError(service + ": duplicate migration version " + std::to_string(m.version));
    }
    ordered.push_back(&m);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  if (db.dialect() == Dialect::postgres) {
    // Two processes creating the same table at once would collide in the catalog.
    db.transaction([](Transaction& tx) {
      tx.exec("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey});
      tx.exec_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " service TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL,"
          " applied_at BIGINT NOT NULL, PRIMARY KEY (service, version))");
    });
  } else {
    create_bookkeeping_table(db);
  }

  for (const Migration* m : ordered) {
    bool applied = db.transaction([&](Transaction& tx) {
      if (tx.dialect() == Dialect::postgres) {
        tx.exec("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey});
      }
      auto existing =
          tx.exec("SELECT name FROM schema_migrations WHERE service = $1 AND version = $2",
                  {service, int64_t{m->version}});
      if (!existing.empty()) {
        if (existing.one().text(0) != m->name) {
          throw DbError(service + ": migration " + std::to_string(m->version) +
                        " is recorded as '" + existing.one().text(0) + "' but the code calls it '" +
                        m->name + "'");
        }
        return false;
      }
      tx.exec_script(m->sql);
      tx.exec(
          "INSERT INTO schema_migrations (service, version, name, applied_at) "
          "VALUES ($1, $2, $3, $4)",
          {service, int64_t{m->version}, m->name, now_ms()});
      return true;
    });
    if (applied) {
      spdlog::info("db: applied migration {} {:03d}_{}", service, m->version, m->name);
    }
  }
}

std::vector<Migration> platform_migrations(Dialect dialect) {
  return cp_migrations_platform(dialect);
}

void apply_platform_migrations(Database& db) {
  apply_migrations(db, "platform", platform_migrations(db.dialect()));
}

}  // namespace cp::db
