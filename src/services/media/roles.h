#pragma once
// Who controls a device: one controller at a time (the earliest session of the device's owner
// still present), everyone else views. Admin observers never control someone else's phone.
#include <optional>
#include <string>
#include <vector>

namespace cp::media {

enum class Role { kController, kViewer };
const char* to_string(Role role);

class RoleTable {
 public:
  // Adds a session (in arrival order) and returns its role.
  Role join(const std::string& session_id, bool may_control);
  // Removes a session; returns the session promoted to controller, if any.
  std::optional<std::string> leave(const std::string& session_id);
  // Hands control to a member that may control; returns the previous controller (now a viewer),
  // if any. False (nothing changes) for a non-member or one that may not control.
  bool hand_over(const std::string& session_id, std::optional<std::string>* previous);
  Role role(const std::string& session_id) const;
  std::optional<std::string> controller() const;
  bool empty() const { return members_.empty(); }
  size_t size() const { return members_.size(); }

 private:
  struct Member {
    std::string id;
    bool may_control;
  };
  std::vector<Member> members_;  // arrival order
  std::string controller_;
};

}  // namespace cp::media
