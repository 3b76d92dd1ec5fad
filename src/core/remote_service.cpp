#include "core/remote_service.h"

#include "core/log.h"

namespace cp::http {

RemoteService::RemoteService(std::string name, std::vector<std::string> urls, Options options)
    : name_(std::move(name)), options_(options) {
  for (const auto& url : urls) {
    instances_.push_back(std::make_unique<Instance>(parse_endpoint(url), options_.breaker));
  }
  if (options_.health_interval.count() > 0 && !instances_.empty()) {
    health_thread_ = std::thread([this] { health_loop(); });
  }
}

RemoteService::~RemoteService() {
  stop_ = true;
  if (health_thread_.joinable()) health_thread_.join();
}

size_t RemoteService::healthy_instances() const {
  size_t n = 0;
  for (const auto& i : instances_) n += i->healthy ? 1 : 0;
  return n;
}

Response RemoteService::call(Request req, std::shared_ptr<const SpooledBody> upload) {
  const size_t n = instances_.size();
  size_t start = next_.fetch_add(1);
  std::string last_error = "no instances configured";
  for (size_t k = 0; k < n; ++k) {
    auto& inst = *instances_[(start + k) % n];
    if (!inst.healthy || !inst.breaker.allow()) {
      last_error = inst.endpoint.key() + " unavailable";
      continue;
    }
    try {
      auto res = client_.send(inst.endpoint, req, options_.timeout, upload.get());
      bool ok = res.result_int() < 500;
      inst.breaker.record(ok);
      return res;
    } catch (const HttpClientError& e) {
      inst.breaker.record(false);
      // Skipped until the health checker sees it answer again. Without a health checker
      // nothing would ever clear the mark, so the breaker alone decides then.
      if (health_thread_.joinable()) inst.healthy = false;
      last_error = e.what();
      // Only requests without side effects are retried on the next instance.
      auto m = req.method();
      if (m != Method::get && m != Method::head && m != Method::options) break;
    }
  }
  auto err = unavailable("service " + name_ + " is unavailable: " + last_error);
  err.extra()["retry_after"] = 1;
  throw err;
}

void RemoteService::health_loop() {
  HttpClient probe_client(HttpClient::Options{std::chrono::milliseconds(500),
                                              std::chrono::milliseconds(1000), 2, 1 << 20});
  while (!stop_) {
    for (auto& inst : instances_) {
      bool ok = false;
      try {
        Request req{Method::get, "/health", 11};
        ok = probe_client.send(inst->endpoint, std::move(req)).result_int() == 200;
      } catch (const std::exception&) {
        ok = false;
      }
      if (ok != inst->healthy.exchange(ok)) {
        log_event(spdlog::level::info, "discovery", ok ? "instance healthy" : "instance unhealthy",
                  {{"service", name_}, {"instance", inst->endpoint.key()}});
      }
    }
    for (int i = 0; i < 20 && !stop_; ++i) {
      std::this_thread::sleep_for(options_.health_interval / 20);
    }
  }
}

}  // namespace cp::http
