#pragma once
// Device templates: CRUD (owner-scoped, 404 for others) and creating devices from one. Devices
// created from a template run its init commands once they are running; a failing command is
// recorded as the device's visible reason while it keeps running.
#include <boost/json/object.hpp>

#include "core/identity.h"
#include "core/schema.h"
#include "services/device/device_context.h"
#include "services/device/model.h"

namespace cp::device {

inline constexpr int kMaxDevicesPerTemplateCall = 20;

// Pure.
http::Schema template_schema(bool create);
// Body of POST (create = true) or PATCH (applied onto `base`) → template fields; 400 naming the field.
DeviceTemplate read_template_input(const boost::json::object& body, DeviceTemplate base, bool create);
boost::json::object template_json(const DeviceTemplate& t);
// Names of `count` devices made from a template: "<prefix>-1", "<prefix>-2", ...
std::vector<std::string> expand_names(const std::string& prefix, int count);

DeviceTemplate create_template(DeviceContext& ctx, const http::Identity& caller, DeviceTemplate t);
DeviceTemplate get_template(DeviceContext& ctx, const http::Identity& caller, const std::string& id);
Page<DeviceTemplate> list_templates(DeviceContext& ctx, const http::Identity& caller, int64_t limit,
                                    const std::string& cursor);
DeviceTemplate update_template(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                               const boost::json::object& patch);
void delete_template(DeviceContext& ctx, const http::Identity& caller, const std::string& id);

// `count` devices from the template, all or none (quota checked for all in one transaction).
std::vector<Device> create_from_template(DeviceContext& ctx, const http::Identity& caller, const std::string& id,
                                         int count, const std::string& name_prefix, const std::string& request_id);
// Runs the device's pending init commands over ADB (a job, after it became running).
void run_init_commands(DeviceContext& ctx, const std::string& device_id);

}  // namespace cp::device
