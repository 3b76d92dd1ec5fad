// The database cases on PostgreSQL (needs the pg fixture: scripts/test-servers/pg.sh).
#include "platform/db_cases.h"
#include "platform/outbox_cases.h"

namespace cp::db {
INSTANTIATE_TEST_SUITE_P(Postgres, DbCase, ::testing::Values(Dialect::postgres));

TEST(PostgresUrl, PoolSizeAndTimeoutOptionsAreUnderstood) {
  auto db =
      open_database(test_postgres_url() + "?sslmode=disable&pool_size=2&statement_timeout=200");
  EXPECT_EQ(db->dialect(), Dialect::postgres);
  EXPECT_TRUE(db->ping());
  DbError e("none");
  try {
    db->exec("SELECT pg_sleep(2)");
  } catch (const DbError& caught) {
    e = caught;
  }
  EXPECT_EQ(e.sqlstate, "57014") << e.what();  // query_canceled by statement_timeout
  EXPECT_TRUE(db->ping());
}

TEST(PostgresUrl, WrongPasswordFailsAtOpen) {
  std::string url = test_postgres_url();
  auto at = url.find('@');
  auto colon = url.rfind(':', at);
  EXPECT_THROW(open_database(url.substr(0, colon + 1) + "wrong" + url.substr(at)), DbError);
}
}  // namespace cp::db

namespace cp::events {
INSTANTIATE_TEST_SUITE_P(Postgres, OutboxCase, ::testing::Values(db::Dialect::postgres));
}
