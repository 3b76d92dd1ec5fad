// Fresh databases for tests.
//  sqlite:   a new temporary file (WAL, readers and writer as in production), deleted on close.
//  postgres: a new uniquely named database on the server that scripts/test-servers/pg.sh
//            started; its URL comes from $CP_TEST_PG_URL or $CP_TEST_ENV_DIR/pg.env. Throws
//            (failing the test) when neither is there: a pg test never passes without a server.
#pragma once

#include <memory>
#include <string>

#include "platform/db.h"

namespace cp::db {

std::unique_ptr<Database> open_test_database(Dialect dialect);

// The admin URL of the test server (throws when not configured).
std::string test_postgres_url();
// Creates a new uniquely named database on the test server and returns its URL (for tests that
// hand a URL to a child process; the throw-away server takes it away at the end).
std::string create_test_postgres_database();

}  // namespace cp::db
