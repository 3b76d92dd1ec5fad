#include "services/device/schemas.h"

#include "services/device/model.h"

namespace cp::device {

using http::Schema;

namespace {

// Responses are not limited by the max_items of request arrays: this is documentation only.
constexpr size_t kAny = 100000;

Schema time() {
  return Schema::string().format("date-time");
}
Schema strings() {
  return Schema::array(Schema::string(), kAny);
}
Schema items_of(Schema item) {
  return Schema::record({{"items", Schema::array(std::move(item), kAny)}});
}

// Every state of the lifecycle (model.h): "deleted" too, which an Idempotency-Key replay of a
// create whose device was deleted since returns.
std::vector<std::string> device_states() {
  std::vector<std::string> out;
  for (int s = 0; s <= static_cast<int>(DeviceState::deleted); ++s) {
    out.emplace_back(to_string(static_cast<DeviceState>(s)));
  }
  return out;
}

Schema spec_schema() {
  static const Schema s = Schema::record({{"android_version", Schema::string()},
                                          {"width", Schema::integer()},
                                          {"height", Schema::integer()},
                                          {"dpi", Schema::integer()},
                                          {"fps", Schema::integer()},
                                          {"cpu_cores", Schema::integer()},
                                          {"memory_mb", Schema::integer()},
                                          {"storage_mb", Schema::integer()}})
                              .named("DeviceSpec");
  return s;
}

}  // namespace

Schema device_schema() {
  static const Schema s =
      Schema::record(
          {{"id", Schema::string()},
           {"owner_id", Schema::string()},
           {"name", Schema::string()},
           {"state", Schema::string().one_of(device_states())},
           {"state_reason", Schema::string().describe("Why it is in this state; may be empty")},
           {"runtime", Schema::string().describe("The runtime that runs it: process, adb, docker")},
           {"node", Schema::string().describe("Where the runtime placed it (admins: /nodes)")},
           {"spec", spec_schema()},
           {"created_at", time()},
           {"updated_at", time()},
           {"started_at", time().nullable().describe("Last time it reached running")},
           {"adb", Schema::record({{"host", Schema::string()}, {"port", Schema::integer()}})
                       .describe("Its ADB endpoint, once the runtime has one")},
           {"restored_from", Schema::string().describe("The snapshot it was created from")}},
          {"adb", "restored_from"})
          .named("Device");
  return s;
}

Schema device_page_schema() {
  return Schema::page(device_schema());
}

Schema device_list_schema() {
  return items_of(device_schema());
}

Schema exec_result_schema() {
  static const Schema s =
      Schema::record({{"stdout", Schema::string()},
                      {"stderr", Schema::string()},
                      {"exit_code", Schema::integer()},
                      {"truncated", Schema::boolean().describe("Output was cut at the cap")}})
          .named("ExecResult");
  return s;
}

Schema packages_schema() {
  return items_of(Schema::record({{"package", Schema::string()}}).named("InstalledPackage"));
}

Schema properties_schema() {
  return Schema::map(Schema::string()).describe("getprop: property name → value");
}

Schema logcat_schema() {
  return Schema::record({{"text", Schema::string()},
                         {"truncated", Schema::boolean().describe("Older lines were left out")}});
}

Schema reboot_schema() {
  return Schema::record({{"state", Schema::string().one_of({"booting"})}});
}

Schema dir_listing_schema() {
  static const Schema s =
      Schema::record(
          {{"path", Schema::string()},
           {"items",
            Schema::array(
                Schema::record(
                    {{"name", Schema::string()},
                     {"type", Schema::string().one_of({"directory", "file", "other"})},
                     {"size", Schema::integer()},
                     {"mode", Schema::integer().describe("Permission bits (mode & 07777)")},
                     {"mtime", Schema::integer().describe("Seconds since the epoch")}})
                    .named("DirEntry"),
                kAny)}})
          .named("DirListing");
  return s;
}

Schema apk_install_schema() {
  static const Schema s = Schema::record({{"package", Schema::string()},
                                          {"version_code", Schema::integer()},
                                          {"version_name", Schema::string()},
                                          {"label", Schema::string()}})
                              .named("ApkInstallResult");
  return s;
}

Schema batch_accepted_schema() {
  return Schema::record({{"batch_id", Schema::string()},
                         {"total", Schema::integer().describe("Devices in the batch")}})
      .named("BatchAccepted");
}

Schema batch_operation_schema() {
  static const Schema s =
      Schema::record(
          {{"batch_id", Schema::string()},
           {"action", Schema::string().one_of({"start", "stop", "restart", "delete", "exec"})},
           {"command", Schema::string().describe("The shell command (action exec)")},
           {"state", Schema::string().one_of({"running", "finished"})},
           {"total", Schema::integer()},
           {"done", Schema::integer().describe("Finished items, ok or not")},
           {"failed", Schema::integer()},
           {"results",
            Schema::array(
                Schema::record(
                    {{"device_id", Schema::string()},
                     {"status", Schema::string().one_of({"pending", "ok", "error"})},
                     {"error", Schema::string().describe("Stable problem code (status error)")},
                     {"detail", Schema::string().describe(
                                    "Why it failed, or the device's new state (lifecycle "
                                    "actions)")},
                     {"stdout", Schema::string()},
                     {"stderr", Schema::string()},
                     {"exit_code", Schema::integer()}},
                    {"error", "detail", "stdout", "stderr", "exit_code"})
                    .named("BatchItemResult"),
                kAny)},
           {"created_at", time()},
           {"updated_at", time()}},
          {"command"})
          .named("BatchOperation");
  return s;
}

Schema device_template_schema() {
  static const Schema s =
      Schema::record({{"id", Schema::string()},
                      {"owner_id", Schema::string()},
                      {"name", Schema::string()},
                      {"spec", spec_schema()},
                      {"init_commands", strings().describe("Shell commands run once after boot")},
                      {"apps", strings().describe("Apps (id or package) installed after boot")},
                      {"created_at", time()},
                      {"updated_at", time()}})
          .named("DeviceTemplate");
  return s;
}

Schema template_page_schema() {
  return Schema::page(device_template_schema());
}

Schema snapshot_schema() {
  // "deleting" snapshots are hidden from every read (store_snapshots.cpp).
  static const Schema s =
      Schema::record({{"id", Schema::string()},
                      {"owner_id", Schema::string()},
                      {"device_id", Schema::string().describe("The device it was taken from")},
                      {"name", Schema::string()},
                      {"state", Schema::string().one_of({"creating", "ready", "error"})},
                      {"state_reason", Schema::string()},
                      {"runtime", Schema::string()},
                      {"node", Schema::string()},
                      {"spec", spec_schema()},
                      {"created_at", time()},
                      {"updated_at", time()}})
          .named("Snapshot");
  return s;
}

Schema snapshot_page_schema() {
  return Schema::page(snapshot_schema());
}

Schema nodes_schema() {
  auto capacity = Schema::record({{"max_devices", Schema::integer()},
                                  {"cpu_cores", Schema::integer()},
                                  {"memory_mb", Schema::integer()}})
                      .describe("Configured limits; 0 = no limit on this dimension");
  auto used = Schema::record({{"devices", Schema::integer()},
                              {"cpu_cores", Schema::integer()},
                              {"memory_mb", Schema::integer()}});
  return items_of(Schema::record({{"name", Schema::string()},
                                  {"endpoint", Schema::string()},
                                  {"capacity", std::move(capacity)},
                                  {"used", std::move(used)}})
                      .named("RuntimeNode"));
}

}  // namespace cp::device
