// The database cases on SQLite (db_pgtest.cpp runs them on PostgreSQL).
#include "platform/db_cases.h"

namespace cp::db {
INSTANTIATE_TEST_SUITE_P(Sqlite, DbCase, ::testing::Values(Dialect::sqlite));

TEST(SqliteUrl, OpensMemoryAndFileUrls) {
  auto memory = open_database("sqlite::memory:");
  EXPECT_EQ(memory->dialect(), Dialect::sqlite);
  EXPECT_TRUE(memory->ping());
  EXPECT_THROW(open_database("mysql://x"), DbError);
}
}  // namespace cp::db
