#pragma once
// Response bodies of the device service as published in /openapi.json. views.cpp, the *_json
// functions of batch/templates/snapshots and the inline bodies of routes_*.cpp build them; the
// strict response check in tests (CP_CHECK_RESPONSES=1) keeps the two equal.
#include "core/schema.h"

namespace cp::device {

http::Schema device_schema();           // Device (views.cpp device_json)
http::Schema device_page_schema();      // {items: [Device], next_cursor}
http::Schema device_list_schema();      // {items: [Device]}: the devices made from a template
http::Schema exec_result_schema();      // POST /devices/{id}/exec
http::Schema packages_schema();         // GET /devices/{id}/apps
http::Schema properties_schema();       // GET /devices/{id}/properties
http::Schema logcat_schema();           // GET /devices/{id}/logcat
http::Schema reboot_schema();           // POST /devices/{id}/reboot
http::Schema dir_listing_schema();      // GET /devices/{id}/files/list
http::Schema apk_install_schema();      // POST /devices/{id}/apps
http::Schema batch_accepted_schema();   // POST /devices/batch
http::Schema batch_operation_schema();  // GET /devices/batch/{id} (batch.cpp batch_json)
http::Schema device_template_schema();  // DeviceTemplate (templates.cpp template_json)
http::Schema template_page_schema();
http::Schema snapshot_schema();  // Snapshot (snapshots.cpp snapshot_json)
http::Schema snapshot_page_schema();
http::Schema nodes_schema();  // GET /nodes

}  // namespace cp::device
