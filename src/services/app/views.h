#pragma once
// JSON views of the app service's types (pure).
#include <boost/json/object.hpp>

#include "services/app/catalog.h"
#include "services/app/model.h"

namespace cp::app {

boost::json::object app_json(const App& app);
boost::json::object version_json(const AppVersion& version);
boost::json::object app_detail_json(const AppDetail& detail);
boost::json::object review_entry_json(const ReviewLogEntry& entry);
boost::json::object device_install_json(const DeviceInstall& install);

}  // namespace cp::app
