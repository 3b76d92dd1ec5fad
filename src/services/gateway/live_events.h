#pragma once
// WS /api/v1/events/ws: the consoles' live updates. The gateway subscribes once to the event bus
// (device.#, app.#, install.#) with a queue of its own and fans each event out to the open
// WebSockets whose caller may see it: admins see everything, everyone else only events about
// their own resources (data.owner_id / user_id / uploader_id). Events are hints for the UI to
// refresh what it shows; the REST API stays the source of truth, so nothing is replayed.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/http_types.h"
#include "core/identity.h"
#include "core/websocket.h"
#include "platform/event_bus.h"

namespace cp::gateway {

// Whether `caller` may see the event.
bool visible_to(const events::CloudEvent& event, const http::Identity& caller);
// What a console receives: {"type","id","subject","time","data"}.
std::string live_event_json(const events::CloudEvent& event);

class LiveEvents : public std::enable_shared_from_this<LiveEvents> {
 public:
  // Subscribes to the bus; the subscription lasts as long as the bus, and does nothing once the
  // returned object is gone.
  static std::shared_ptr<LiveEvents> create(events::EventBus& bus);
  LiveEvents() = default;
  LiveEvents(const LiveEvents&) = delete;
  LiveEvents& operator=(const LiveEvents&) = delete;

  // The route handler: 401 without an identity, otherwise upgrades the connection.
  http::Response accept(http::RequestContext& ctx);
  // Sends the event to every connection allowed to see it (the bus handler).
  void deliver(const events::CloudEvent& event);
  // Registers an open connection for `caller`; returns its key for remove(). (Used by accept's
  // on_open, and by tests with their own WsConnection.)
  uint64_t add(std::shared_ptr<http::WsConnection> ws, http::Identity caller);
  void remove(uint64_t key);
  size_t connections() const;

 private:
  struct Client {
    std::weak_ptr<http::WsConnection> ws;
    http::Identity caller;
  };
  mutable std::mutex mu_;
  std::map<uint64_t, Client> clients_;
  uint64_t next_key_ = 1;
};

}  // namespace cp::gateway
