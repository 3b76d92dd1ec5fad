#pragma once
// Input of POST /api/v1/devices: the schema (types and ranges, also published in OpenAPI) and
// the checks a schema cannot express. Pure; errors are 400 problems naming the field.
#include <boost/json/object.hpp>
#include <string>

#include "core/schema.h"
#include "services/device/model.h"

namespace cp::device {

struct CreateDeviceInput {
  std::string name;
  DeviceSpec spec;
};

http::Schema create_device_schema();
// The spec as clients send it (every member optional), shared by devices and templates.
http::Schema device_spec_input_schema();
// Reads a body that passed create_device_schema(); applies defaults; throws ApiError 400
// (field "spec.width", ...) when the values do not make a device.
CreateDeviceInput read_create_input(const boost::json::object& body);
void validate_spec(const DeviceSpec& spec);

// Android versions the runtimes can provide.
bool supported_android_version(const std::string& version);

}  // namespace cp::device
