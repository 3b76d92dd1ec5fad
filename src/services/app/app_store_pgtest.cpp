// The app store cases on PostgreSQL (needs the pg fixture: scripts/test-servers/pg.sh).
#include "services/app/app_store_cases.h"

namespace cp::app {
INSTANTIATE_TEST_SUITE_P(Postgres, AppStoreCase, ::testing::Values(db::Dialect::postgres));
}  // namespace cp::app
