#include "core/pipeline.h"

#include <chrono>

#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"

namespace cp::http {

Response Pipeline::handle(RequestContext& ctx) const {
  try {
    return run(0, ctx);
  } catch (const ApiError& e) {
    return problem_response(e, ctx.request_id, std::string(ctx.target_path()));
  } catch (const std::exception& e) {
    log_event(spdlog::level::err, "http", "unhandled error", {{"error", e.what()}});
    return problem_response(ApiError(Status::internal_server_error, "internal", "internal error"),
                            ctx.request_id, std::string(ctx.target_path()));
  }
}

Response Pipeline::run(size_t i, RequestContext& ctx) const {
  if (i < middleware_.size()) {
    Next next = [this, i](RequestContext& c) { return run(i + 1, c); };
    return middleware_[i](ctx, next);
  }
  if (!handler_) {
    throw not_found("no such resource");
  }
  return handler_(ctx);
}

Next route_handler(std::shared_ptr<const Router> router) {
  return [router](RequestContext& ctx) -> Response { return router->handle(ctx); };
}

namespace {
bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

bool lower_hex(std::string_view s) {
  return s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// W3C traceparent: version-traceid-parentid-flags. The spec says an invalid header (bad hex,
// version ff, all-zero ids) must be ignored and a new trace started, so a client cannot make
// unrelated requests share one trace by sending junk.
bool valid_traceparent(std::string_view t) {
  if (t.size() != 55 || t[2] != '-' || t[35] != '-' || t[52] != '-') return false;
  auto version = t.substr(0, 2), trace = t.substr(3, 32), parent = t.substr(36, 16),
       flags = t.substr(53, 2);
  return lower_hex(version) && version != "ff" && lower_hex(trace) && lower_hex(parent) &&
         lower_hex(flags) && trace != std::string(32, '0') && parent != std::string(16, '0');
}

// Continues a valid incoming trace with a new span id for our hop.
std::string continue_trace(const std::string& incoming) {
  if (valid_traceparent(incoming)) {
    return incoming.substr(0, 36) + random_hex(8) + incoming.substr(52);
  }
  return "00-" + random_hex(16) + "-" + random_hex(8) + "-01";
}
}  // namespace

Middleware request_id_middleware() {
  return [](RequestContext& ctx, const Next& next) {
    if (ctx.request_id.empty()) {
      auto incoming = ctx.header("X-Request-ID");
      ctx.request_id = incoming && valid_request_id(*incoming) ? *incoming : random_hex(16);
    }
    if (ctx.traceparent.empty()) {
      ctx.traceparent = continue_trace(ctx.header("traceparent").value_or(""));
    }
    auto res = next(ctx);
    res.set("X-Request-ID", ctx.request_id);
    res.set("traceparent", ctx.traceparent);
    return res;
  };
}

Middleware error_middleware() {
  return [](RequestContext& ctx, const Next& next) -> Response {
    try {
      return next(ctx);
    } catch (const ApiError& e) {
      auto res = problem_response(e, ctx.request_id, std::string(ctx.target_path()));
      if (auto it = e.extra().find("retry_after"); it != e.extra().end()) {
        res.set(bhttp::field::retry_after, boost::json::serialize(it->value()));
      }
      return res;
    } catch (const std::exception& e) {
      log_event(spdlog::level::err, "http", "unhandled error",
                {{"error", e.what()}, {"request_id", ctx.request_id}});
      return problem_response(ApiError(Status::internal_server_error, "internal", "internal error"),
                              ctx.request_id, std::string(ctx.target_path()));
    }
  };
}

Middleware access_log_middleware(std::string service) {
  return [service](RequestContext& ctx, const Next& next) {
    auto start = std::chrono::steady_clock::now();
    auto res = next(ctx);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string route = ctx.route.empty() ? "unmatched" : ctx.route;
    const std::string method(ctx.request.method_string());
    const std::string status = std::to_string(res.result_int());
    auto& reg = metrics::Registry::global();
    reg.counter("http_requests_total", "HTTP requests handled",
                {{"service", service}, {"method", method}, {"route", route}, {"status", status}})
        .inc();
    reg.histogram("http_request_duration_seconds", "HTTP request latency",
                  {{"service", service}, {"method", method}, {"route", route}})
        .observe(secs);
    if (spdlog::should_log(spdlog::level::info)) {
      boost::json::object fields{{"service", service},
                                 {"method", method},
                                 {"path", std::string(ctx.target_path())},
                                 {"route", route},
                                 {"status", res.result_int()},
                                 {"duration_ms", secs * 1000.0},
                                 {"request_id", ctx.request_id},
                                 {"client_ip", ctx.client_ip}};
      if (ctx.identity) fields["user_id"] = ctx.identity->user_id;
      log_event(spdlog::level::info, "access", "request", std::move(fields));
    }
    return res;
  };
}

Middleware cors_middleware(std::vector<std::string> allowed_origins) {
  return [allowed_origins](RequestContext& ctx, const Next& next) -> Response {
    auto origin = ctx.header("Origin");
    bool allowed = false;
    if (origin) {
      for (const auto& o : allowed_origins) {
        if (o == "*" || o == *origin) allowed = true;
      }
    }
    auto decorate = [&](Response& res) {
      if (!allowed) return;
      res.set(bhttp::field::access_control_allow_origin, *origin);
      res.set(bhttp::field::vary, "Origin");
      res.set(bhttp::field::access_control_allow_credentials, "true");
      res.set(bhttp::field::access_control_expose_headers, "X-Request-ID, Retry-After");
    };
    if (ctx.request.method() == Method::options && ctx.header("Access-Control-Request-Method")) {
      Response res{allowed ? Status::no_content : Status::forbidden, 11};
      decorate(res);
      if (allowed) {
        res.set(bhttp::field::access_control_allow_methods,
                "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        res.set(
            bhttp::field::access_control_allow_headers,
            "Authorization, Content-Type, X-API-Key, X-Request-ID, Idempotency-Key, traceparent");
        res.set(bhttp::field::access_control_max_age, "600");
      }
      res.prepare_payload();
      return res;
    }
    auto res = next(ctx);
    decorate(res);
    return res;
  };
}

}  // namespace cp::http
