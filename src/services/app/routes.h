#pragma once
// HTTP routes of the app service: handlers read the validated input, call catalog.h /
// market.h / installs.h and map the result to JSON.
#include "core/router.h"
#include "services/app/app_context.h"

namespace cp::app {

void add_app_routes(http::Router& router, AppContext& ctx);  // upload, list, get, icon, download
void add_review_routes(http::Router& router,
                       AppContext& ctx);  // submit, approve, reject, unpublish
void add_install_routes(http::Router& router,
                        AppContext& ctx);  // install, uninstall, progress, per device

// "/versions/{version}" as a positive versionCode; 400 naming "version" otherwise.
int64_t version_param(const http::RequestContext& rc);

}  // namespace cp::app
