#pragma once
// HTTP routes of the device service: handlers read the validated input, call lifecycle.h /
// operations.h and map the result to JSON.
#include "core/router.h"
#include "services/device/device_context.h"

namespace cp::device {

void add_device_routes(http::Router& router, DeviceContext& ctx);     // CRUD + start/stop/restart
void add_operation_routes(http::Router& router, DeviceContext& ctx);  // exec, screenshot, apps, ...
void add_file_routes(http::Router& router, DeviceContext& ctx);      // files, app install/uninstall
void add_batch_routes(http::Router& router, DeviceContext& ctx);     // /devices/batch
void add_template_routes(http::Router& router, DeviceContext& ctx);  // /templates
void add_snapshot_routes(http::Router& router,
                         DeviceContext& ctx);  // /devices/{id}/snapshots, /snapshots
void add_node_routes(http::Router& router, DeviceContext& ctx);  // /nodes (admins)

}  // namespace cp::device
