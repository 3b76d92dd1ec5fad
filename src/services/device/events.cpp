#include "services/device/events.h"

#include "core/ids.h"
#include "platform/outbox.h"

namespace cp::device {

const char* event_for_state(DeviceState state) {
  switch (state) {
    case DeviceState::running:
      return kEventStarted;
    case DeviceState::stopped:
      return kEventStopped;
    case DeviceState::deleted:
      return kEventDeleted;
    case DeviceState::error:
      return kEventError;
    default:
      return nullptr;
  }
}

namespace {
boost::json::object spec_object(const DeviceSpec& s) {
  return {{"android_version", s.android_version},
          {"width", s.width},
          {"height", s.height},
          {"dpi", s.dpi},
          {"fps", s.fps},
          {"cpu_cores", s.cpu_cores},
          {"memory_mb", s.memory_mb},
          {"storage_mb", s.storage_mb}};
}
}  // namespace

void emit_snapshot_event(db::Transaction& tx, const Snapshot& s, int64_t now) {
  boost::json::object data{{"snapshot_id", s.id},         {"device_id", s.device_id},
                           {"owner_id", s.owner_id},      {"name", s.name},
                           {"runtime", s.runtime},        {"node", s.node},
                           {"spec", spec_object(s.spec)}, {"created_at", to_rfc3339(s.created_at)},
                           {"at", to_rfc3339(now)}};
  events::enqueue_event(tx, events::make_event("/services/device", kEventSnapshotCreated,
                                               s.device_id, std::move(data)));
}

void emit_device_event(db::Transaction& tx, const char* type, const Device& d, int64_t now,
                       const boost::json::object& extra) {
  boost::json::object data{{"device_id", d.id},
                           {"owner_id", d.owner_id},
                           {"name", d.name},
                           {"state", to_string(d.state)},
                           {"reason", d.state_reason},
                           {"runtime", d.runtime},
                           {"node", d.node},
                           {"spec", spec_object(d.spec)},
                           {"created_at", to_rfc3339(d.created_at)},
                           {"at", to_rfc3339(now)}};
  for (const auto& [k, v] : extra) data[k] = v;
  events::enqueue_event(tx, events::make_event("/services/device", type, d.id, std::move(data)));
}

}  // namespace cp::device
