// Queries of device_batches and device_batch_items.
#include "services/device/store_batches.h"

namespace cp::device::store {

namespace {

constexpr const char* kInsertBatch =
    "INSERT INTO device_batches (id, owner_id, action, command, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
constexpr const char* kInsertItem =
    "INSERT INTO device_batch_items (batch_id, item_no, device_id, status, updated_at) "
    "VALUES ($1, $2, $3, 'pending', $4)";
constexpr const char* kFindBatch =
    "SELECT id, owner_id, action, command, created_at, updated_at FROM device_batches WHERE id = $1";
constexpr const char* kItems =
    "SELECT item_no, device_id, status, error, detail, output, stderr, exit_code FROM device_batch_items "
    "WHERE batch_id = $1 ORDER BY item_no";
constexpr const char* kFinishItem =
    "UPDATE device_batch_items SET status = $3, error = $4, detail = $5, output = $6, stderr = $7, "
    "exit_code = $8, updated_at = $9 WHERE batch_id = $1 AND item_no = $2 AND status = 'pending'";
constexpr const char* kTouchBatch = "UPDATE device_batches SET updated_at = $2 WHERE id = $1";
constexpr const char* kFailPending =
    "UPDATE device_batch_items SET status = 'error', error = 'interrupted', detail = $1, updated_at = $2 "
    "WHERE status = 'pending'";

db::Param opt(const std::optional<std::string>& v) { return v ? db::Param(*v) : db::Param(nullptr); }
db::Param opt(const std::optional<int64_t>& v) { return v ? db::Param(*v) : db::Param(nullptr); }

}  // namespace

void insert_batch(db::Executor& ex, const Batch& b, const std::vector<std::string>& device_ids) {
  ex.exec(kInsertBatch, {b.id, b.owner_id, b.action, b.command, b.created_at, b.updated_at});
  for (size_t i = 0; i < device_ids.size(); ++i) {
    ex.exec(kInsertItem, {b.id, static_cast<int64_t>(i), device_ids[i], b.created_at});
  }
}

std::optional<Batch> find_batch(db::Executor& ex, const std::string& id) {
  auto rows = ex.exec(kFindBatch, {id});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return Batch{r.text("id"), r.text("owner_id"), r.text("action"), r.text("command"), r.int64("created_at"),
               r.int64("updated_at")};
}

std::vector<BatchItem> batch_items(db::Executor& ex, const std::string& batch_id) {
  std::vector<BatchItem> items;
  for (const auto& r : ex.exec(kItems, {batch_id})) {
    items.push_back({r.int64("item_no"), r.text("device_id"), r.text("status"), r.text("error"), r.text("detail"),
                     r.opt_text("output"), r.opt_text("stderr"), r.opt_int64("exit_code")});
  }
  return items;
}

bool finish_batch_item(db::Executor& ex, const std::string& batch_id, const BatchItem& it, int64_t now) {
  bool done = ex.exec(kFinishItem, {batch_id, it.position, it.status, it.error, it.detail, opt(it.output),
                                    opt(it.stderr_text), opt(it.exit_code), now})
                  .affected() == 1;
  if (done) ex.exec(kTouchBatch, {batch_id, now});
  return done;
}

int64_t fail_pending_batch_items(db::Executor& ex, const std::string& detail, int64_t now) {
  return ex.exec(kFailPending, {detail, now}).affected();
}

}  // namespace cp::device::store
