#include "core/log.h"

#include "core/ids.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace cp {

namespace {
bool g_json = true;
std::mutex g_write_mu;

std::string iso_now() {
  return to_rfc3339(now_ms());
}
}  // namespace

void init_logging(const std::string& level, bool json) {
  g_json = json;
  auto logger = spdlog::stderr_logger_mt("cloudphone");
  if (json) {
    // The message is already a JSON object (see log_event); plain spdlog calls are wrapped.
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                        spdlog::pattern_time_type::utc);
  }
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

void log_event(spdlog::level::level_enum level, const std::string& logger, const std::string& msg,
               boost::json::object fields) {
  if (!spdlog::should_log(level)) {
    return;
  }
  if (!g_json) {
    spdlog::log(level, "[{}] {} {}", logger, msg, boost::json::serialize(fields));
    return;
  }
  boost::json::object line;
  line["time"] = iso_now();
  line["level"] = spdlog::level::to_string_view(level).data();
  line["logger"] = logger;
  line["msg"] = msg;
  for (auto& kv : fields) {
    line[kv.key()] = std::move(kv.value());
  }
  auto text = boost::json::serialize(line);
  std::lock_guard lock(g_write_mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fputc('\n', stderr);
}

}  // namespace cp
