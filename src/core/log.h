#pragma once
// JSON-line logs on stderr (spdlog). One object per line: time, level, logger, msg and any
// structured fields. init_logging() once per process; log_json() for structured events.
#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <string>

namespace cp {

void init_logging(const std::string& level = "info", bool json = true);
// Logs an event with fields, e.g. log_event(spdlog::level::info, "http", "request", {...}).
void log_event(spdlog::level::level_enum level, const std::string& logger, const std::string& msg,
               boost::json::object fields = {});

}  // namespace cp
