// Recordings: start/stop per device → MP4 (muxed, not re-encoded) in the object store under
// recordings/<device>/<id>.mp4 with a JSON sidecar (who, when, size, duration); listed from the
// store, so they outlive the process. Access follows the device: whoever may see it.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.h"
#include "core/log.h"
#include "services/media/media_metrics.h"
#include "services/media/media_service.h"
#include "services/media/schemas.h"

namespace cp::media {

using http::Access;
using http::Method;
using http::RequestContext;
using http::Status;

namespace {

std::string iso_now(std::chrono::system_clock::time_point t) {
  return to_rfc3339(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

std::string prefix(const std::string& device_id) {
  return "recordings/" + device_id + "/";
}

// Recording ids are ours ("rec_" + hex); anything else never reaches the object store.
void check_recording_id(const std::string& id) {
  const bool ok = id.size() == 4 + 24 && id.starts_with("rec_") &&
                  id.find_first_not_of("0123456789abcdef", 4) == std::string::npos;
  if (!ok) throw http::not_found("no such recording");
}

}  // namespace

http::Response MediaService::start_recording(RequestContext& rc) {
  const auto device_id = rc.param("id");
  const auto access = authorize_device(rc, device_id);
  if (!access.owner) throw http::forbidden("only the device's owner records it");
  auto stream = ensure_stream(device_id, access);
  const auto id = "rec_" + random_hex(12);
  std::shared_ptr<Recording> recording;
  boost::json::object out;
  {
    std::lock_guard lock(mu_);
    if (recordings_.contains(device_id)) {
      throw http::conflict("the device is already being recorded", "already_recording");
    }
    std::filesystem::create_directories(spool_dir_);
    recording = std::make_shared<Recording>(id, spool_dir_);
    const auto now = std::chrono::system_clock::now();
    recordings_[device_id] = {recording, rc.caller().user_id, now};
    devices_[device_id].empty_since = Clock::now();
    out = {
        {"id", id}, {"device_id", device_id}, {"state", "recording"}, {"started_at", iso_now(now)}};
  }
  stream->add_sink(id, recording);
  return http::json_response(Status::created, out);
}

std::optional<boost::json::object> MediaService::finish_recording(const std::string& device_id) {
  ActiveRecording active;
  std::shared_ptr<DeviceStream> stream;
  {
    std::lock_guard lock(mu_);
    auto it = recordings_.find(device_id);
    if (it == recordings_.end()) return std::nullopt;
    active = it->second;
    recordings_.erase(it);
    if (auto d = devices_.find(device_id); d != devices_.end()) {
      stream = d->second.stream;
      d->second.empty_since = Clock::now();  // the stop grace starts now
    }
  }
  if (stream) stream->remove_sink(active.recording->id());
  const auto result = active.recording->finish();  // throws Mp4Error without a key frame
  const auto key = prefix(device_id) + active.recording->id();
  boost::json::object meta{{"id", active.recording->id()},
                           {"device_id", device_id},
                           {"user_id", active.user_id},
                           {"state", "stored"},
                           {"started_at", iso_now(active.started_at)},
                           {"ended_at", iso_now(std::chrono::system_clock::now())},
                           {"duration_ms", result.duration_ms},
                           {"width", result.width},
                           {"height", result.height},
                           {"frames", result.frames},
                           {"truncated", result.truncated},
                           {"content_type", "video/mp4"}};
  const auto info = objects_->put_file(key + ".mp4", result.file, "video/mp4");
  std::error_code ec;
  std::filesystem::remove(result.file, ec);
  meta["size"] = info.size;
  objects_->put_bytes(key + ".json", boost::json::serialize(meta), "application/json");
  metrics().recordings.inc();
  return meta;
}

http::Response MediaService::stop_recording(RequestContext& rc) {
  const auto device_id = rc.param("id");
  const auto rec_id = rc.param("rec_id");
  check_recording_id(rec_id);
  authorize_device(rc, device_id);
  {
    std::lock_guard lock(mu_);
    auto it = recordings_.find(device_id);
    if (it == recordings_.end() || it->second.recording->id() != rec_id) {
      throw http::conflict("the recording is not running", "not_recording");
    }
  }
  try {
    auto meta = finish_recording(device_id);
    if (!meta) throw http::conflict("the recording is not running", "not_recording");
    return http::json_response(Status::ok, *meta);
  } catch (const Mp4Error& e) {
    throw http::conflict(std::string("nothing was recorded: ") + e.what(), "empty_recording");
  }
}

http::Response MediaService::list_recordings(RequestContext& rc) {
  const auto device_id = rc.param("id");
  authorize_device(rc, device_id);
  boost::json::array items;
  {
    std::lock_guard lock(mu_);
    if (auto it = recordings_.find(device_id); it != recordings_.end()) {
      items.push_back(boost::json::object{{"id", it->second.recording->id()},
                                          {"device_id", device_id},
                                          {"user_id", it->second.user_id},
                                          {"state", "recording"},
                                          {"started_at", iso_now(it->second.started_at)}});
    }
  }
  for (const auto& object : objects_->list(prefix(device_id))) {
    if (!object.key.ends_with(".json")) continue;
    boost::system::error_code ec;
    auto meta = boost::json::parse(objects_->get_bytes(object.key), ec);
    if (!ec && meta.is_object()) items.push_back(std::move(meta));
  }
  return http::json_response(Status::ok, boost::json::object{{"items", std::move(items)}});
}

http::Response MediaService::download_recording(RequestContext& rc) {
  const auto device_id = rc.param("id");
  const auto rec_id = rc.param("rec_id");
  check_recording_id(rec_id);
  authorize_device(rc, device_id);
  const auto key = prefix(device_id) + rec_id + ".mp4";
  if (!objects_->head(key)) throw http::not_found("no such recording");
  return http::text_response(Status::ok, objects_->get_bytes(key), "video/mp4");
}

void MediaService::register_recording_routes(http::Router& router) {
  router.add({Method::post, "/api/v1/devices/{id}/recordings", Access::permission, "media:stream",
              "Start recording the device's screen (MP4, H.264 as the device sends it)",
              "recordings", std::nullopt, recording_schema(), Status::created,
              [this](RequestContext& rc) { return start_recording(rc); }});
  router.add({Method::post, "/api/v1/devices/{id}/recordings/{rec_id}/stop", Access::permission,
              "media:stream", "Stop a recording and store it in the object store", "recordings",
              std::nullopt, recording_schema(), Status::ok,
              [this](RequestContext& rc) { return stop_recording(rc); }});
  router.add({Method::get, "/api/v1/devices/{id}/recordings", Access::permission, "media:stream",
              "The device's recordings (running and stored)", "recordings", std::nullopt,
              recording_list_schema(), Status::ok,
              [this](RequestContext& rc) { return list_recordings(rc); }});
  router.add({Method::get, "/api/v1/devices/{id}/recordings/{rec_id}/file", Access::permission,
              "media:stream", "Download a stored recording (video/mp4)", "recordings", std::nullopt,
              std::nullopt, Status::ok,
              [this](RequestContext& rc) { return download_recording(rc); }, "video/mp4"});
}

}  // namespace cp::media
