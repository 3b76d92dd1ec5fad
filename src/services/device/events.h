#pragma once
// Events of the device service (CloudEvents through the outbox; subject = device id; data has
// owner, spec, state and timestamps — billing meters from device.started / device.stopped).
#include <string>

#include "platform/db.h"
#include "services/device/model.h"

namespace cp::device {

inline constexpr const char* kEventCreated = "device.created";
inline constexpr const char* kEventStarted = "device.started";
inline constexpr const char* kEventStopped = "device.stopped";
inline constexpr const char* kEventDeleted = "device.deleted";
inline constexpr const char* kEventError = "device.error";

// The event announcing that the device entered `state`, or nullptr when none does.
const char* event_for_state(DeviceState state);

// Adds the event to the outbox in `tx` (the transaction that made the change).
void emit_device_event(db::Transaction& tx, const char* type, const Device& device, int64_t now);

}  // namespace cp::device
