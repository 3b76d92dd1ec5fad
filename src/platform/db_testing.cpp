#include "platform/db_testing.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>

#include "platform/sqlite_database.h"

namespace cp::db {
namespace {

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(rd() % 1000000);
}

std::string temp_dir() {
  for (const char* var : {"CP_TEST_ENV_DIR", "TMPDIR"}) {
    if (const char* v = std::getenv(var); v && *v) {
      if (access(v, W_OK) == 0) return v;
    }
  }
  return "/tmp";
}

// Replaces the database name in postgres://user:pass@host:port/NAME?query.
std::string with_database(const std::string& url, const std::string& name) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw DbError("bad postgres url in test env");
  size_t slash = url.find('/', scheme_end + 3);
  size_t query = url.find('?', scheme_end + 3);
  std::string head = url.substr(0, slash == std::string::npos ? query : slash);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + name + tail;
}

}  // namespace

std::string test_postgres_url() {
  if (const char* v = std::getenv("CP_TEST_PG_URL"); v && *v) return v;
  const char* env_dir = std::getenv("CP_TEST_ENV_DIR");
  if (!env_dir || !*env_dir) {
    throw DbError("CP_TEST_ENV_DIR is not set: run pg tests through ctest (fixture pg)");
  }
  std::string path = std::string(env_dir) + "/pg.env";
  std::ifstream in(path);
  if (!in) throw DbError(path + " is missing: scripts/test-servers/pg.sh start did not run");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CP_TEST_PG_URL=", 0) == 0) return line.substr(15);
  }
  throw DbError(path + " has no CP_TEST_PG_URL");
}

std::string create_test_postgres_database() {
  std::string admin_url = test_postgres_url();
  std::string name = "cp_test_" + unique_suffix();
  open_database(admin_url, 1)->exec_script("CREATE DATABASE " + name);
  return with_database(admin_url, name);
}

std::unique_ptr<Database> open_test_database(Dialect dialect) {
  if (dialect == Dialect::sqlite) {
    SqliteOptions options;
    options.delete_files_on_close = true;
    return open_sqlite(temp_dir() + "/cp_test_" + unique_suffix() + ".db", options);
  }
  std::string admin_url = test_postgres_url();
  std::string name = "cp_test_" + unique_suffix();
  open_database(admin_url, 1)->exec_script("CREATE DATABASE " + name);
  return open_database(with_database(admin_url, name));
}

}  // namespace cp::db
