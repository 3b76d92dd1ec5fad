#pragma once
// HTTP routes of the device service: handlers read the validated input, call lifecycle.h /
// operations.h and map the result to JSON.
#include "core/router.h"
#include "services/device/device_context.h"

namespace cp::device {

void add_device_routes(http::Router& router, DeviceContext& ctx);     // CRUD + start/stop/restart
void add_operation_routes(http::Router& router, DeviceContext& ctx);  // exec, screenshot, apps, ...

}  // namespace cp::device
