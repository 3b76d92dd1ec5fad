// The database and outbox cases on SQLite (db_pgtest.cpp runs them on PostgreSQL).
#include "platform/db_cases.h"
#include "platform/outbox_cases.h"

namespace cp::db {
INSTANTIATE_TEST_SUITE_P(Sqlite, DbCase, ::testing::Values(Dialect::sqlite));

TEST(SqliteUrl, OpensMemoryAndFileUrls) {
  auto memory = open_database("sqlite::memory:");
  EXPECT_EQ(memory->dialect(), Dialect::sqlite);
  EXPECT_TRUE(memory->ping());
  memory->exec_script("CREATE TABLE t (x INTEGER)");
  memory->transaction(
      [](Transaction& tx) { tx.exec("INSERT INTO t (x) VALUES ($1)", {int64_t{1}}); });
  EXPECT_EQ(memory->exec("SELECT x FROM t").one().int64(0), 1);
  EXPECT_THROW(open_database("mysql://x"), DbError);
}
}  // namespace cp::db

namespace cp::events {
INSTANTIATE_TEST_SUITE_P(Sqlite, OutboxCase, ::testing::Values(db::Dialect::sqlite));
}

namespace cp::db {
TEST(SqliteWriter, WritingThroughTheDatabaseInsideATransactionThrowsInsteadOfHanging) {
  auto db = open_test_database(Dialect::sqlite);
  db->exec_script("CREATE TABLE t (x INTEGER)");
  EXPECT_THROW(db->transaction([&](Transaction&) { db->exec("INSERT INTO t (x) VALUES (1)"); }),
               DbError);
  EXPECT_THROW(db->transaction([&](Transaction&) { db->transaction([](Transaction&) {}); }),
               DbError);
  EXPECT_EQ(db->exec("SELECT COUNT(*) FROM t").one().int64(0), 0);  // reads are fine
  db->exec("INSERT INTO t (x) VALUES (1)");                         // and the writer is free again
}
}  // namespace cp::db
