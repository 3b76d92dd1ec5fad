// The app store cases on SQLite (app_store_pgtest.cpp runs them on PostgreSQL).
#include "services/app/app_store_cases.h"

namespace cp::app {
INSTANTIATE_TEST_SUITE_P(Sqlite, AppStoreCase, ::testing::Values(db::Dialect::sqlite));
}  // namespace cp::app
