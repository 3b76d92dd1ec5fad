#include "services/device/state_machine.h"

#include <array>

namespace cp::device {

namespace {
using S = DeviceState;
constexpr std::array kStates{S::creating, S::booting, S::running, S::stopping, S::stopped, S::error, S::deleted};
}  // namespace

const char* to_string(DeviceState state) {
  switch (state) {
    case S::creating: return "creating";
    case S::booting: return "booting";
    case S::running: return "running";
    case S::stopping: return "stopping";
    case S::stopped: return "stopped";
    case S::error: return "error";
    case S::deleted: return "deleted";
  }
  return "unknown";
}

std::optional<DeviceState> parse_state(std::string_view text) {
  for (auto s : kStates) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

bool can_transition(DeviceState from, DeviceState to) {
  if (from == S::deleted) return false;
  if (to == S::deleted || to == S::error) return true;  // delete and failure reach any live state
  switch (from) {
    case S::creating: return to == S::booting;
    case S::booting: return to == S::running || to == S::stopping;
    case S::running: return to == S::stopping || to == S::booting;  // restart, reboot
    case S::stopping: return to == S::stopped;
    case S::stopped: return to == S::booting;
    case S::error: return to == S::booting || to == S::stopping || to == S::stopped;
    case S::deleted: return false;
  }
  return false;
}

const char* to_string(DeviceAction action) {
  switch (action) {
    case DeviceAction::start: return "start";
    case DeviceAction::stop: return "stop";
    case DeviceAction::restart: return "restart";
    case DeviceAction::remove: return "delete";
    case DeviceAction::operate: return "operate";
  }
  return "unknown";
}

std::variant<DeviceState, Refusal> plan_action(DeviceAction action, DeviceState current) {
  auto refuse = [&](std::string why) { return Refusal{"cannot " + std::string(to_string(action)) + ": " + why}; };
  std::string is = std::string("device is ") + to_string(current);
  switch (action) {
    case DeviceAction::start:
      if (current == S::stopped || current == S::error) return S::booting;
      return refuse(is);
    case DeviceAction::stop:
      if (current == S::booting || current == S::running || current == S::error) return S::stopping;
      return refuse(is);
    case DeviceAction::restart:
      if (current == S::running || current == S::error) return S::booting;
      return refuse(is);
    case DeviceAction::remove:
      if (current == S::deleted) return refuse(is);
      return S::deleted;
    case DeviceAction::operate:
      if (current == S::running) return S::running;
      return refuse(is + ", not running");
  }
  return refuse("unknown action");
}

}  // namespace cp::device
