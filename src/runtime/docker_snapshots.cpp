// Snapshots of docker devices: a snapshot is a commit of the container into
// <snapshot_repo>:<snapshot id> (the device's state lives in the container's own filesystem, so
// the commit holds it); restore recreates the container from that image with the spec it was
// created with, read back from its label.
#include <boost/json/parse.hpp>
#include <cctype>

#include "runtime/docker_runtime.h"
#include "runtime/docker_runtime_internal.h"

namespace cp::runtime {

namespace json = boost::json;
using namespace docker_detail;

namespace {

void check_snapshot_id(const std::string& id) {
  // Image tags: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
  bool ok = !id.empty() && id.size() <= 128 && id[0] != '.' && id[0] != '-';
  for (char c : id)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok) throw RuntimeError("invalid snapshot id for an image tag: '" + id + "'");
}

}  // namespace

std::string DockerRuntime::snapshot_ref(const std::string& snapshot_id) const {
  check_snapshot_id(snapshot_id);
  return options_.snapshot_repo + ":" + snapshot_id;
}

std::string DockerRuntime::snapshot(const std::string& id, const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  guarded("snapshot " + id, [&] {
    try {
      api_.commit(id, options_.snapshot_repo, snapshot_id);
    } catch (const DockerApiError& e) {
      if (e.status == 404) throw RuntimeError("no such instance: " + id);
      throw;
    }
  });
  return ref;
}

void DockerRuntime::restore(const std::string& id, const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  guarded("restore " + id, [&] {
    if (!api_.inspect_image(ref)) throw RuntimeError("no such snapshot image: " + ref);
    auto doc = api_.inspect(id);
    if (!doc) throw RuntimeError("no such instance: " + id);
    const auto* config = obj(*doc, "Config");
    const auto* labels = config ? obj(*config, "Labels") : nullptr;
    auto spec_text = labels ? str(*labels, kSpecLabel) : std::string();
    boost::system::error_code ec;
    auto spec_json = json::parse(spec_text, ec);
    if (ec || !spec_json.is_object())
      throw RuntimeError("container " + id + " has no cloudphone.spec label");
    auto spec = spec_from_json(spec_json.as_object());
    spec.image = ref;
    api_.remove(id, true, true);
    api_.create_container(id, build_create_body(options_, spec));
  });
}

void DockerRuntime::remove_snapshot(const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  guarded("remove snapshot " + ref, [&] { api_.remove_image(ref, /*force=*/false); });
}

bool DockerRuntime::snapshot_exists(const std::string& snapshot_id) {
  auto ref = snapshot_ref(snapshot_id);
  return guarded("inspect snapshot " + ref, [&] { return api_.inspect_image(ref).has_value(); });
}

}  // namespace cp::runtime
