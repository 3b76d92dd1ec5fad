#pragma once
// Response bodies of the app service as published in /openapi.json. views.cpp, installs.cpp
// batch_json and the inline bodies of routes_*.cpp build them; the strict response check in
// tests (CP_CHECK_RESPONSES=1) keeps the two equal.
#include "core/schema.h"

namespace cp::app {

http::Schema app_schema();               // App (views.cpp app_json)
http::Schema app_page_schema();          // {items: [App], next_cursor}
http::Schema app_version_schema();       // AppVersion (views.cpp version_json)
http::Schema app_detail_schema();        // App + versions (views.cpp app_detail_json)
http::Schema uploaded_app_schema();      // POST /apps: AppDetail + new_app
http::Schema review_log_schema();        // {items: [ReviewEntry]}
http::Schema install_accepted_schema();  // POST /apps/{id}/install|uninstall
http::Schema install_batch_schema();     // GET /apps/installs/{batch_id} (installs.cpp batch_json)
http::Schema install_records_schema();   // {items: [InstallRecord]}
http::Schema install_record_schema();    // InstallRecord (routes_installs.cpp record_json)
http::Schema device_apps_schema();       // GET /apps/devices/{device_id}

}  // namespace cp::app
