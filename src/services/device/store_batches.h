#pragma once
// SQL of batches (migrations/002_batches.sql). Functions take an Executor (see store.h).
#include <optional>
#include <string>
#include <vector>

#include "platform/db.h"
#include "services/device/model.h"

namespace cp::device::store {

void insert_batch(db::Executor& ex, const Batch& batch, const std::vector<std::string>& device_ids);
std::optional<Batch> find_batch(db::Executor& ex, const std::string& id);
std::vector<BatchItem> batch_items(db::Executor& ex, const std::string& batch_id);
// Records the outcome of one item (only while it is pending); false when it was not pending.
bool finish_batch_item(db::Executor& ex, const std::string& batch_id, const BatchItem& item, int64_t now);
// Items left pending by a stopped service become errors ("interrupted"); returns how many.
int64_t fail_pending_batch_items(db::Executor& ex, const std::string& detail, int64_t now);

}  // namespace cp::device::store
