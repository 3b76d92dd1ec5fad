// Domain events as CloudEvents 1.0 (JSON structured mode). The routing key on the bus is the
// event type ("device.created"); `traceparent` is the W3C distributed-tracing extension.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace cp::events {

struct CloudEvent {
  std::string id;       // evt_…, unique; consumers deduplicate on it
  std::string source;   // producing service, e.g. "/services/device"
  std::string type;     // "device.created" — also the routing key
  std::string subject;  // the entity, e.g. "dev_…"
  int64_t time_ms = 0;  // unix milliseconds, UTC
  boost::json::object data;
  std::string traceparent;  // empty when not traced
};

// Fills id and time; the usual way to create an event.
CloudEvent make_event(std::string source, std::string type, std::string subject,
                      boost::json::object data, std::string traceparent = {});

// "evt_" + 12 hex digits of unix ms + 16 random hex digits: unique and time-sortable.
std::string new_event_id();

boost::json::object to_json(const CloudEvent& event);
std::string to_json_string(const CloudEvent& event);
// Throws std::invalid_argument naming the offending attribute.
CloudEvent event_from_json(const boost::json::value& json);
CloudEvent event_from_json_string(std::string_view text);

// RFC 3339 in UTC with milliseconds ("2024-05-01T12:00:00.123Z"); parsing accepts any
// fraction length and numeric offsets. parse throws std::invalid_argument.
std::string format_rfc3339(int64_t unix_ms);
int64_t parse_rfc3339(std::string_view text);

}  // namespace cp::events
