#pragma once
// SQL of templates and of the init commands devices run once after boot
// (migrations/003_templates.sql). Functions take an Executor (see store.h).
#include <optional>
#include <string>
#include <vector>

#include "platform/db.h"
#include "services/device/model.h"

namespace cp::device::store {

void insert_template(db::Executor& ex, const DeviceTemplate& t);
std::optional<DeviceTemplate> find_template(db::Executor& ex, const std::string& id);
// owner_id empty = every owner (admins); ordered by id, `after_id` is the cursor.
Page<DeviceTemplate> list_templates(db::Executor& ex, const std::string& owner_id, int64_t limit,
                                    const std::string& after_id);
void update_template(db::Executor& ex, const DeviceTemplate& t);
bool delete_template(db::Executor& ex, const std::string& id);

void insert_init_commands(db::Executor& ex, const std::string& device_id, const std::string& template_id,
                          const std::vector<std::string>& commands, int64_t now);
// The commands when the device still has to run them.
std::optional<std::vector<std::string>> pending_init_commands(db::Executor& ex, const std::string& device_id);
// status done | failed; only from pending (false when someone else finished them).
bool finish_init_commands(db::Executor& ex, const std::string& device_id, const std::string& status,
                          const std::string& detail, int64_t now);
// Sets the visible reason of a device that is running (state unchanged).
void set_running_reason(db::Executor& ex, const std::string& device_id, const std::string& reason, int64_t now);

}  // namespace cp::device::store
