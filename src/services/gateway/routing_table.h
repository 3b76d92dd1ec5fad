#pragma once
// Which service owns which first path segment under /api/v1. One table for the whole platform,
// so a gateway without local services still knows where to send a request.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cp::gateway {

const std::map<std::string, std::string, std::less<>>& api_prefix_owners();
// "/api/v1/devices/dev_1/start" → "device"; nullopt when not under /api/v1 or unknown.
std::optional<std::string> owner_of(std::string_view path);

}  // namespace cp::gateway
