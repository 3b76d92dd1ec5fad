#include "services/device/events.h"

#include "core/ids.h"
#include "platform/outbox.h"

namespace cp::device {

const char* event_for_state(DeviceState state) {
  switch (state) {
    case DeviceState::running: return kEventStarted;
    case DeviceState::stopped: return kEventStopped;
    case DeviceState::deleted: return kEventDeleted;
    case DeviceState::error: return kEventError;
    default: return nullptr;
  }
}

void emit_device_event(db::Transaction& tx, const char* type, const Device& d, int64_t now) {
  boost::json::object spec{{"android_version", d.spec.android_version}, {"width", d.spec.width},
                           {"height", d.spec.height}, {"dpi", d.spec.dpi}, {"fps", d.spec.fps},
                           {"cpu_cores", d.spec.cpu_cores}, {"memory_mb", d.spec.memory_mb},
                           {"storage_mb", d.spec.storage_mb}};
  boost::json::object data{{"device_id", d.id},         {"owner_id", d.owner_id},
                           {"name", d.name},            {"state", to_string(d.state)},
                           {"reason", d.state_reason},  {"runtime", d.runtime},
                           {"spec", std::move(spec)},   {"created_at", to_rfc3339(d.created_at)},
                           {"at", to_rfc3339(now)}};
  events::enqueue_event(tx, events::make_event("/services/device", type, d.id, std::move(data)));
}

}  // namespace cp::device
