// The device store cases on PostgreSQL (needs the pg fixture: scripts/test-servers/pg.sh).
#include "services/device/device_store_cases.h"

namespace cp::device {
INSTANTIATE_TEST_SUITE_P(Postgres, DeviceStoreCase, ::testing::Values(db::Dialect::postgres));
}  // namespace cp::device
