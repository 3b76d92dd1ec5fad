#include "services/app/app_context.h"

namespace cp::app {

AppSettings AppSettings::from_config(const Config& config) {
  AppSettings s;
  // One limit for the HTTP body and the APK: the server rejects larger bodies with 413 already.
  s.max_apk_bytes = config.get_int("app.max_apk_bytes",
                                   config.get_int("http.upload_body_limit", s.max_apk_bytes));
  s.install_concurrency =
      static_cast<int>(config.get_int("app.install_concurrency", s.install_concurrency));
  s.batch_max = static_cast<int>(config.get_int("app.batch_max", s.batch_max));
  s.download_url_ttl =
      std::chrono::seconds(config.get_int("app.download_url_ttl_s", s.download_url_ttl.count()));
  s.device_wait = config.get_ms("app.device_wait_ms", s.device_wait);
  s.device_poll = config.get_ms("app.device_poll_ms", s.device_poll);
  s.spool_dir = config.get("app.spool_dir", "");
  return s;
}

}  // namespace cp::app
