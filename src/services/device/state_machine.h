#pragma once
// The device lifecycle as pure functions: which transitions exist, and what a user action
// does in each state. The store applies transitions with compare-and-set on the current state,
// so a background job and a request racing on one device cannot both win.
#include <string>
#include <variant>

#include "services/device/model.h"

namespace cp::device {

bool can_transition(DeviceState from, DeviceState to);

enum class DeviceAction { start, stop, restart, remove, operate };
const char* to_string(DeviceAction action);

// What an action leads to in `current`: the state to write now, or why it is refused.
struct Refusal {
  std::string reason;  // "device is running", shown to the user in a 409
};
std::variant<DeviceState, Refusal> plan_action(DeviceAction action, DeviceState current);

// A device counts against its owner's quota until it is deleted.
inline bool counts_against_quota(DeviceState s) { return s != DeviceState::deleted; }

}  // namespace cp::device
