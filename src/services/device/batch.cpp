#include "services/device/batch.h"

#include <set>

#include "core/ids.h"
#include "core/log.h"
#include "core/problem.h"
#include "services/device/lifecycle.h"
#include "services/device/operations.h"
#include "services/device/store_batches.h"

namespace cp::device {

namespace {
constexpr size_t kBatchOutputLimit = 64 * 1024;  // per item and stream, stored in the database
}

http::Schema batch_schema() {
  using http::Schema;
  return Schema::object({{"action", Schema::string(1, 16).one_of({"start", "stop", "restart", "delete", "exec"})},
                         {"device_ids", Schema::array(Schema::string(1, 64), 10000)},
                         {"command", Schema::string(1, 8192).describe("shell command (action exec)")}},
                        {"action", "device_ids"});
}

BatchInput read_batch_input(const boost::json::object& body, int max_ids) {
  BatchInput in;
  in.action = http::get_string(body, "action");
  if (in.action != "start" && in.action != "stop" && in.action != "restart" && in.action != "delete" &&
      in.action != "exec") {
    throw http::bad_request("action", "must be one of start, stop, restart, delete, exec");
  }
  const auto* ids = body.if_contains("device_ids");
  if (!ids || !ids->is_array() || ids->as_array().empty()) {
    throw http::bad_request("device_ids", "must be a non-empty array of device ids");
  }
  if (ids->as_array().size() > static_cast<size_t>(max_ids)) {
    throw http::bad_request("device_ids", "at most " + std::to_string(max_ids) + " devices per batch");
  }
  std::set<std::string> seen;
  for (const auto& v : ids->as_array()) {
    if (!v.is_string() || v.as_string().empty()) throw http::bad_request("device_ids", "must contain device ids");
    std::string id(v.as_string());
    if (!seen.insert(id).second) throw http::bad_request("device_ids", "lists " + id + " twice");
    in.device_ids.push_back(std::move(id));
  }
  if (in.action == "exec") {
    in.command = http::get_string(body, "command", "");
    if (in.command.empty()) throw http::bad_request("command", "is required for action exec");
  }
  return in;
}

BatchProgress batch_progress(const std::vector<BatchItem>& items) {
  BatchProgress p;
  p.total = static_cast<int64_t>(items.size());
  for (const auto& it : items) {
    if (it.status != "pending") ++p.done;
    if (it.status == "error") ++p.failed;
  }
  return p;
}

boost::json::object batch_json(const Batch& b, const std::vector<BatchItem>& items) {
  auto p = batch_progress(items);
  boost::json::array results;
  for (const auto& it : items) {
    boost::json::object r{{"device_id", it.device_id}, {"status", it.status}};
    if (!it.error.empty()) r["error"] = it.error;
    if (!it.detail.empty()) r["detail"] = it.detail;
    if (it.output) r["stdout"] = *it.output;
    if (it.stderr_text) r["stderr"] = *it.stderr_text;
    if (it.exit_code) r["exit_code"] = *it.exit_code;
    results.push_back(std::move(r));
  }
  boost::json::object out{{"batch_id", b.id},       {"action", b.action},
                          {"state", p.finished() ? "finished" : "running"},
                          {"total", p.total},       {"done", p.done},
                          {"failed", p.failed},     {"results", std::move(results)},
                          {"created_at", to_rfc3339(b.created_at)}, {"updated_at", to_rfc3339(b.updated_at)}};
  if (!b.command.empty()) out["command"] = b.command;
  return out;
}

BatchItem run_batch_item(DeviceContext& ctx, const http::Identity& caller, const Batch& batch, BatchItem item) {
  try {
    if (batch.action == "exec") {
      auto r = exec_on_device(ctx, caller, item.device_id, batch.command);
      cap_output(r.stdout_text, kBatchOutputLimit);
      cap_output(r.stderr_text, kBatchOutputLimit);
      item.output = std::move(r.stdout_text);
      item.stderr_text = std::move(r.stderr_text);
      item.exit_code = r.exit_code;
    } else {
      DeviceAction action = batch.action == "start"    ? DeviceAction::start
                            : batch.action == "stop"   ? DeviceAction::stop
                            : batch.action == "restart" ? DeviceAction::restart
                                                        : DeviceAction::remove;
      auto d = request_action(ctx, caller, item.device_id, action);
      item.detail = to_string(d.state);  // accepted: the device work continues in the background
    }
    item.status = "ok";
  } catch (const http::ApiError& e) {
    item.status = "error";
    item.error = e.status() == http::Status::not_found ? "not_found" : e.code();
    item.detail = e.what();
  } catch (const std::exception& e) {
    item.status = "error";
    item.error = "failed";
    item.detail = e.what();
  }
  return item;
}

Batch submit_batch(DeviceContext& ctx, const http::Identity& caller, const BatchInput& input) {
  Batch b{new_id("bat"), caller.user_id, input.action, input.command, now_ms(), now_ms()};
  store::insert_batch(ctx.db, b, input.device_ids);
  for (size_t i = 0; i < input.device_ids.size(); ++i) {
    BatchItem item;
    item.position = static_cast<int64_t>(i);
    item.device_id = input.device_ids[i];
    ctx.batch_jobs.post([&ctx, caller, b, item] {
      auto done = run_batch_item(ctx, caller, b, item);
      try {
        store::finish_batch_item(ctx.db, b.id, done, now_ms());
      } catch (const std::exception& e) {
        log_event(spdlog::level::warn, "device", "batch item not recorded", {{"batch_id", b.id}, {"error", e.what()}});
      }
    });
  }
  return b;
}

std::pair<Batch, std::vector<BatchItem>> get_batch(DeviceContext& ctx, const http::Identity& caller,
                                                   const std::string& id) {
  auto b = store::find_batch(ctx.db, id);
  if (!b || (b->owner_id != caller.user_id && !caller.is_admin())) {
    throw http::not_found("no batch " + id, "batch_not_found");
  }
  return {*b, store::batch_items(ctx.db, id)};
}

}  // namespace cp::device
