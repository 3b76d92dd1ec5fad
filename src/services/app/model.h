#pragma once
// The app service's domain types.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cp::app {

// Review of one version (ARCHITECTURE: market with review). See review.h for the transitions.
enum class ReviewState { draft, pending, published, rejected, unpublished };
const char* to_string(ReviewState state);
std::optional<ReviewState> parse_review_state(std::string_view text);

struct App {
  std::string id;  // app_…
  std::string package;
  std::string owner_id;
  std::string name;  // label of the newest version
  std::string category;
  std::string description;
  bool published = false;  // some version is published in the market
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct AppVersion {
  std::string app_id;
  int64_t version_code = 0;
  std::string version_name;
  std::string label;
  int min_sdk = 0;
  int target_sdk = 0;
  std::vector<std::string> permissions;
  std::string launchable_activity;
  std::string apk_key;  // object key, content-addressed
  std::string apk_sha256;
  int64_t apk_size = 0;
  std::string icon_key;  // empty when the APK has no icon
  std::string uploader_id;
  ReviewState review_state = ReviewState::draft;
  std::string review_reason;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct ReviewLogEntry {
  std::string id;
  std::string app_id;
  int64_t version_code = 0;
  std::string action;  // submit | approve | reject | unpublish
  std::string from_state;
  std::string to_state;
  std::string actor_id;
  std::string reason;
  int64_t created_at = 0;
};

struct InstallBatch {
  std::string id;  // inb_…
  std::string app_id;
  std::string package;
  int64_t version_code = 0;
  std::string action;  // install | uninstall
  std::string owner_id;
  std::string source;  // api | template
  int64_t created_at = 0;
};

struct InstallItem {
  std::string batch_id;
  std::string device_id;
  std::string status;    // queued | installing | installed | uninstalling | uninstalled | failed
  int64_t progress = 0;  // 0..100
  std::string reason;    // why it failed
  int64_t updated_at = 0;
};

struct DeviceInstall {
  std::string device_id;
  std::string package;
  std::string app_id;
  int64_t version_code = 0;
  std::string owner_id;
  int64_t installed_at = 0;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty on the last page
};

}  // namespace cp::app
