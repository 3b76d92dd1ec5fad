// The user store cases on PostgreSQL (needs the pg fixture: scripts/test-servers/pg.sh).
#include "services/user/password_reset_cases.h"
#include "services/user/user_store_cases.h"

namespace cp::user {
INSTANTIATE_TEST_SUITE_P(Postgres, UserStoreCase, ::testing::Values(db::Dialect::postgres));
}  // namespace cp::user
