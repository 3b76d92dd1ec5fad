#pragma once
// SQL of device snapshots (migrations/004_snapshots.sql). Functions take an Executor (store.h).
#include <optional>
#include <string>
#include <vector>

#include "platform/db.h"
#include "services/device/model.h"

namespace cp::device::store {

void insert_snapshot(db::Executor& ex, const Snapshot& s);
// Snapshots being deleted are not found.
std::optional<Snapshot> find_snapshot(db::Executor& ex, const std::string& id);
// owner_id / device_id empty = any; ordered by id, `after_id` is the cursor; without deleting ones.
Page<Snapshot> list_snapshots(db::Executor& ex, const std::string& owner_id,
                              const std::string& device_id, int64_t limit,
                              const std::string& after_id);
// Compare-and-set of the state; false when the snapshot was not in `from`.
bool set_snapshot_state(db::Executor& ex, const std::string& id, const std::string& from,
                        const std::string& to, const std::string& reason, const std::string& ref,
                        int64_t now);
std::vector<Snapshot> snapshots_in_state(db::Executor& ex, const std::string& state);
void delete_snapshot_row(db::Executor& ex, const std::string& id);

}  // namespace cp::device::store
