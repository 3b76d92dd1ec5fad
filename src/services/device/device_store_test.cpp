// The device store cases on SQLite (device_store_pgtest.cpp runs them on PostgreSQL).
#include "services/device/device_store_cases.h"

namespace cp::device {
INSTANTIATE_TEST_SUITE_P(Sqlite, DeviceStoreCase, ::testing::Values(db::Dialect::sqlite));
}  // namespace cp::device
