#include "services/app/schemas.h"

#include "services/app/model.h"
#include "services/app/review.h"

namespace cp::app {

using http::Schema;

namespace {

// Responses are not limited by the max_items of request arrays: this is documentation only.
constexpr size_t kAny = 100000;

Schema time() {
  return Schema::string().format("date-time");
}

std::vector<std::string> review_states() {
  std::vector<std::string> out;
  for (int s = 0; s <= static_cast<int>(ReviewState::unpublished); ++s) {
    out.emplace_back(to_string(static_cast<ReviewState>(s)));
  }
  return out;
}
std::vector<std::string> review_actions() {
  std::vector<std::string> out;
  for (int a = 0; a <= static_cast<int>(ReviewAction::unpublish); ++a) {
    out.emplace_back(to_string(static_cast<ReviewAction>(a)));
  }
  return out;
}

Schema install_action() {
  return Schema::string().one_of({"install", "uninstall"});
}
Schema install_source() {
  return Schema::string()
      .one_of({"api", "template"})
      .describe("api: a user's request; template: the apps of the device's template");
}
// An install item's status (model.h InstallItem; store_installs.cpp inserts queued).
Schema item_status() {
  return Schema::string().one_of(
      {"queued", "installing", "installed", "uninstalling", "uninstalled", "failed"});
}

std::vector<std::pair<std::string, Schema>> app_members() {
  return {{"id", Schema::string()},
          {"package", Schema::string()},
          {"owner_id", Schema::string()},
          {"name", Schema::string().describe("The label of the newest version")},
          {"category", Schema::string()},
          {"description", Schema::string()},
          {"published", Schema::boolean().describe("Some version is published in the market")},
          {"icon_url", Schema::string()},
          {"created_at", time()},
          {"updated_at", time()}};
}

std::vector<std::pair<std::string, Schema>> app_detail_members() {
  auto members = app_members();
  members.emplace_back(
      "versions",
      Schema::array(app_version_schema(), kAny).describe("The versions you may see, newest first"));
  return members;
}

}  // namespace

Schema app_schema() {
  static const Schema s = Schema::record(app_members()).named("App");
  return s;
}

Schema app_page_schema() {
  return Schema::page(app_schema());
}

Schema app_version_schema() {
  static const Schema s =
      Schema::record({{"version_code", Schema::integer()},
                      {"version_name", Schema::string()},
                      {"label", Schema::string()},
                      {"min_sdk", Schema::integer()},
                      {"target_sdk", Schema::integer()},
                      {"permissions", Schema::array(Schema::string(), kAny)},
                      {"launchable_activity", Schema::string()},
                      {"apk_sha256", Schema::string()},
                      {"apk_size", Schema::integer()},
                      {"has_icon", Schema::boolean()},
                      {"uploader_id", Schema::string()},
                      {"review_state", Schema::string().one_of(review_states())},
                      {"review_reason", Schema::string()},
                      {"download_url", Schema::string()},
                      {"created_at", time()},
                      {"updated_at", time()}})
          .named("AppVersion");
  return s;
}

Schema app_detail_schema() {
  static const Schema s = Schema::record(app_detail_members()).named("AppDetail");
  return s;
}

Schema uploaded_app_schema() {
  static const Schema s = [] {
    auto members = app_detail_members();
    members.emplace_back("new_app",
                         Schema::boolean().describe("A new app (else a new version of it)"));
    return Schema::record(std::move(members)).named("UploadedApp");
  }();
  return s;
}

Schema review_log_schema() {
  auto entry = Schema::record({{"id", Schema::string()},
                               {"version_code", Schema::integer()},
                               {"action", Schema::string().one_of(review_actions())},
                               {"from", Schema::string().one_of(review_states())},
                               {"to", Schema::string().one_of(review_states())},
                               {"actor_id", Schema::string()},
                               {"reason", Schema::string()},
                               {"at", time()}})
                   .named("ReviewEntry");
  return Schema::record({{"items", Schema::array(std::move(entry), kAny)}});
}

Schema install_accepted_schema() {
  return Schema::record({{"batch_id", Schema::string()},
                         {"app_id", Schema::string()},
                         {"version_code", Schema::integer().describe("0 for an uninstall")},
                         {"total", Schema::integer()},
                         {"status_url", Schema::string()}})
      .named("InstallAccepted");
}

Schema install_batch_schema() {
  static const Schema s =
      Schema::record(
          {{"batch_id", Schema::string()},
           {"app_id", Schema::string()},
           {"package", Schema::string()},
           {"version_code", Schema::integer()},
           {"action", install_action()},
           {"source", install_source()},
           {"state", Schema::string().one_of({"running", "finished"})},
           {"total", Schema::integer()},
           {"done", Schema::integer()},
           {"failed", Schema::integer()},
           {"items",
            Schema::array(Schema::record({{"device_id", Schema::string()},
                                          {"status", item_status()},
                                          {"progress", Schema::integer().describe("0..100")},
                                          {"updated_at", time()},
                                          {"reason", Schema::string().describe("Why it failed")}},
                                         {"reason"})
                              .named("InstallItem"),
                          kAny)},
           {"created_at", time()}})
          .named("InstallBatch");
  return s;
}

Schema install_record_schema() {
  static const Schema s = Schema::record({{"batch_id", Schema::string()},
                                          {"app_id", Schema::string()},
                                          {"package", Schema::string()},
                                          {"action", install_action()},
                                          {"source", install_source()},
                                          {"version_code", Schema::integer()},
                                          {"device_id", Schema::string()},
                                          {"status", item_status()},
                                          {"progress", Schema::integer().describe("0..100")},
                                          {"updated_at", time()},
                                          {"reason", Schema::string().describe("Why it failed")}},
                                         {"reason"})
                              .named("InstallRecord");
  return s;
}

Schema install_records_schema() {
  return Schema::record({{"items", Schema::array(install_record_schema(), kAny)}});
}

Schema device_apps_schema() {
  auto installed = Schema::record({{"device_id", Schema::string()},
                                   {"package", Schema::string()},
                                   {"app_id", Schema::string()},
                                   {"version_code", Schema::integer()},
                                   {"installed_at", time()}})
                       .named("DeviceInstall");
  return Schema::record({{"device_id", Schema::string()},
                         {"items", Schema::array(std::move(installed), kAny)
                                       .describe("Apps installed on it through the app service")},
                         {"records", Schema::array(install_record_schema(), kAny)
                                         .describe("Its latest install records (at most 50)")}})
      .named("DeviceApps");
}

}  // namespace cp::app
