#pragma once
// Events of the app service (CloudEvents through the outbox; subject = app id).
#include <string>

#include "platform/db.h"
#include "services/app/model.h"

namespace cp::app {

inline constexpr const char* kEventUploaded = "app.uploaded";
inline constexpr const char* kEventApproved = "app.review.approved";
inline constexpr const char* kEventRejected = "app.review.rejected";
inline constexpr const char* kEventInstalled = "app.installed";
inline constexpr const char* kEventInstallFailed = "app.install.failed";
inline constexpr const char* kEventUninstalled = "app.uninstalled";

// Each adds the event to the outbox in `tx` (the transaction that made the change).
void emit_uploaded(db::Transaction& tx, const App& app, const AppVersion& version);
void emit_review(db::Transaction& tx, const char* type, const App& app,
                 const ReviewLogEntry& entry);
void emit_install(db::Transaction& tx, const char* type, const InstallBatch& batch,
                  const std::string& device_id, const std::string& reason, int64_t now);

}  // namespace cp::app
