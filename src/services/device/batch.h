#pragma once
// Batch operations on many devices: validated input, a persisted batch with one item per
// device, items run on ctx.batch_jobs (batch_concurrency at once); one failing device does not
// fail the others, and a device the caller does not own fails with not_found, untouched.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/identity.h"
#include "core/schema.h"
#include "services/device/device_context.h"
#include "services/device/model.h"

namespace cp::device {

struct BatchInput {
  std::string action;  // start | stop | restart | delete | exec
  std::vector<std::string> device_ids;
  std::string command;  // exec only
};

struct BatchProgress {
  int64_t total = 0;
  int64_t done = 0;    // finished, ok or not
  int64_t failed = 0;  // finished with an error
  bool finished() const { return done == total; }
};

// Pure.
http::Schema batch_schema();
// 400 naming the field: unknown action, no ids / more than `max_ids` / duplicates, exec without command.
BatchInput read_batch_input(const boost::json::object& body, int max_ids);
BatchProgress batch_progress(const std::vector<BatchItem>& items);
boost::json::object batch_json(const Batch& batch, const std::vector<BatchItem>& items);

// Persists the batch and queues its items; returns the batch.
Batch submit_batch(DeviceContext& ctx, const http::Identity& caller, const BatchInput& input);
// The caller's batch (admins: any) with its items; 404 otherwise.
std::pair<Batch, std::vector<BatchItem>> get_batch(DeviceContext& ctx, const http::Identity& caller,
                                                   const std::string& id);
// Runs one item as `caller` and returns its outcome (never throws for device errors).
BatchItem run_batch_item(DeviceContext& ctx, const http::Identity& caller, const Batch& batch, BatchItem item);

}  // namespace cp::device
