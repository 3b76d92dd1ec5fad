// The user store cases on SQLite (user_store_pgtest.cpp runs them on PostgreSQL).
#include "services/user/password_reset_cases.h"
#include "services/user/user_store_cases.h"

namespace cp::user {
INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreCase, ::testing::Values(db::Dialect::sqlite));
}  // namespace cp::user
