#pragma once
// JSON views of the device service's resources.
#include <boost/json/object.hpp>

#include "core/http_types.h"
#include "services/device/model.h"
#include "services/device/store.h"

namespace cp::device {

boost::json::object device_json(const Device& d);
boost::json::object page_json(const Page<Device>& page);
// ?state=&owner=&limit=&cursor= → filter; 400 naming the parameter when malformed.
store::DeviceFilter read_filter(const http::RequestContext& rc);

}  // namespace cp::device
