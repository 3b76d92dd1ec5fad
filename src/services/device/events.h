#pragma once
// Events of the device service (CloudEvents through the outbox; subject = device id; data has
// owner, spec, state and timestamps — billing meters from device.started / device.stopped).
#include <boost/json/object.hpp>
#include <string>

#include "platform/db.h"
#include "services/device/model.h"

namespace cp::device {

inline constexpr const char* kEventCreated = "device.created";
inline constexpr const char* kEventStarted = "device.started";
inline constexpr const char* kEventStopped = "device.stopped";
inline constexpr const char* kEventDeleted = "device.deleted";
inline constexpr const char* kEventError = "device.error";
inline constexpr const char* kEventSnapshotCreated = "device.snapshot.created";

// The event announcing that the device entered `state`, or nullptr when none does.
const char* event_for_state(DeviceState state);

// Adds the event to the outbox in `tx` (the transaction that made the change). `extra` members
// are added to data (device.created from a template: template_id, template_apps for the app
// service, which preinstalls those apps).
void emit_device_event(db::Transaction& tx, const char* type, const Device& device, int64_t now,
                       const boost::json::object& extra = {});
// device.snapshot.created (subject = the source device) when the snapshot became ready.
void emit_snapshot_event(db::Transaction& tx, const Snapshot& snapshot, int64_t now);

}  // namespace cp::device
