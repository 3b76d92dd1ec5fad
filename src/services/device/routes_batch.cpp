// /api/v1/devices/batch: start/stop/restart/delete/exec on many devices, progress per batch.
#include "services/device/batch.h"
#include "services/device/routes.h"
#include "services/device/schemas.h"

namespace cp::device {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

void add_batch_routes(http::Router& router, DeviceContext& ctx) {
  router.add(
      {Method::post, "/api/v1/devices/batch", Access::permission, "device:operate",
       "Run start|stop|restart|delete|exec on many devices (bounded concurrency); 202 {batch_id}",
       "devices", batch_schema(), batch_accepted_schema(), Status::accepted,
       [&ctx](RequestContext& rc) {
         auto input = read_batch_input(http::json_body(rc), ctx.settings.batch_max);
         if (input.action == "delete") rc.require("device:delete");
         auto batch = submit_batch(ctx, rc.caller(), input);
         return http::json_response(
             Status::accepted,
             boost::json::object{{"batch_id", batch.id},
                                 {"total", static_cast<int64_t>(input.device_ids.size())}});
       }});
  router.add({Method::get, "/api/v1/devices/batch/{batch_id}", Access::permission, "device:read",
              "Progress of a batch (total, done, failed) and the result per device", "devices",
              std::nullopt, batch_operation_schema(), Status::ok, [&ctx](RequestContext& rc) {
                auto [batch, items] = get_batch(ctx, rc.caller(), rc.param("batch_id"));
                return http::json_response(Status::ok, batch_json(batch, items));
              }});
}

}  // namespace cp::device
