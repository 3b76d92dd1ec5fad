#include "services/gateway/live_events.h"

#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "core/metrics.h"
#include "core/problem.h"

namespace cp::gateway {

namespace {

metrics::Gauge& open_gauge() {
  static auto& g = metrics::Registry::global().gauge(
      "cp_gateway_live_connections", "Open live-event WebSockets (/api/v1/events/ws)");
  return g;
}

metrics::Counter& sent_counter() {
  static auto& c = metrics::Registry::global().counter("cp_gateway_live_events_sent_total",
                                                       "Events sent to live-event WebSockets");
  return c;
}

}  // namespace

bool visible_to(const events::CloudEvent& event, const http::Identity& caller) {
  if (caller.is_admin()) return true;
  if (caller.user_id.empty()) return false;
  // The services name the user an event concerns in one of these fields.
  for (const char* key : {"owner_id", "user_id", "uploader_id"}) {
    const auto* v = event.data.if_contains(key);
    if (v != nullptr && v->is_string() && v->get_string() == caller.user_id) return true;
  }
  return false;
}

std::string live_event_json(const events::CloudEvent& event) {
  return boost::json::serialize(boost::json::object{{"type", event.type},
                                                    {"id", event.id},
                                                    {"subject", event.subject},
                                                    {"time", events::format_rfc3339(event.time_ms)},
                                                    {"data", event.data}});
}

std::shared_ptr<LiveEvents> LiveEvents::create(events::EventBus& bus) {
  auto live = std::make_shared<LiveEvents>();
  std::weak_ptr<LiveEvents> weak = live;
  // A queue of this gateway's own: every gateway instance needs every event.
  bus.subscribe_per_process("gateway.live." + random_hex(8), {"device.#", "app.#", "install.#"},
                            [weak](const events::CloudEvent& e) {
                              if (auto self = weak.lock()) self->deliver(e);
                            });
  return live;
}

http::Response LiveEvents::accept(http::RequestContext& ctx) {
  if (!ctx.identity) throw http::unauthorized("log in to receive live events");
  auto handler = std::make_shared<http::WsHandler>();
  auto key = std::make_shared<uint64_t>(0);
  auto caller = *ctx.identity;
  std::weak_ptr<LiveEvents> weak = weak_from_this();
  handler->on_open = [weak, key, caller](const std::shared_ptr<http::WsConnection>& ws) {
    auto self = weak.lock();
    if (!self) return;
    ws->send_text(R"({"type":"hello"})");  // first, before any event
    *key = self->add(ws, caller);
  };
  // Clients only listen; anything they send is ignored.
  handler->on_message = [](const std::shared_ptr<http::WsConnection>&, std::string_view, bool) {};
  handler->on_close = [weak, key] {
    if (auto self = weak.lock()) self->remove(*key);
  };
  return http::accept_websocket(ctx, handler);
}

uint64_t LiveEvents::add(std::shared_ptr<http::WsConnection> ws, http::Identity caller) {
  std::lock_guard lock(mu_);
  const auto key = next_key_++;
  clients_.emplace(key, Client{ws, std::move(caller)});
  open_gauge().add(1);
  return key;
}

void LiveEvents::remove(uint64_t key) {
  std::lock_guard lock(mu_);
  if (clients_.erase(key) > 0) open_gauge().add(-1);
}

size_t LiveEvents::connections() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

void LiveEvents::deliver(const events::CloudEvent& event) {
  std::string text;
  std::lock_guard lock(mu_);
  for (auto it = clients_.begin(); it != clients_.end();) {
    auto ws = it->second.ws.lock();
    if (!ws) {
      it = clients_.erase(it);
      open_gauge().add(-1);
      continue;
    }
    if (visible_to(event, it->second.caller)) {
      if (text.empty()) text = live_event_json(event);
      if (ws->send_text(text)) sent_counter().inc();
    }
    ++it;
  }
}

}  // namespace cp::gateway
