#include "runtime/process_runtime.h"

#include <fstream>

#include "core/log.h"

namespace cp::runtime {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds restart_backoff(const RestartPolicy& policy, int attempt) {
  auto delay = policy.first_backoff;
  for (int i = 1; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

ProcessRuntime::ProcessRuntime(ProcessRuntimeOptions options) : options_(std::move(options)) {
  if (options_.snapshot_root.empty()) options_.snapshot_root = options_.state_root / ".snapshots";
  fs::create_directories(options_.state_root);
  supervisor_ = std::thread([this] { supervise(); });
}

ProcessRuntime::~ProcessRuntime() {
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  supervisor_.join();
  for (const auto& id : list()) {
    try {
      stop(id, std::chrono::seconds(2));
    } catch (const std::exception&) {
      // Best effort at shutdown; ~ChildProcess kills whatever is left.
    }
  }
}

std::shared_ptr<ProcessRuntime::Instance> ProcessRuntime::find(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = instances_.find(id);
  if (it == instances_.end()) throw RuntimeError("no such instance: " + id);
  return it->second;
}

std::string ProcessRuntime::create(const RuntimeSpec& spec) {
  if (spec.device_id.empty() || spec.device_id.find('/') != std::string::npos ||
      spec.device_id[0] == '.') {
    throw RuntimeError("invalid device id for a state directory: '" + spec.device_id + "'");
  }
  std::lock_guard lock(mu_);
  auto& slot = instances_[spec.device_id];
  if (!slot) {
    slot = std::make_shared<Instance>();
    slot->spec = spec;
    slot->dir = options_.state_root / spec.device_id;
    fs::create_directories(slot->dir / "state");
  }
  return spec.device_id;
}

std::vector<std::string> ProcessRuntime::command_line(const Instance& inst) const {
  const auto& s = inst.spec;
  std::vector<std::string> argv{options_.devicesim_bin.string(),
                                "devicesim",
                                "--host",
                                options_.listen_host,
                                "--port",
                                "0",
                                "--state-dir",
                                (inst.dir / "state").string(),
                                "--width",
                                std::to_string(s.width),
                                "--height",
                                std::to_string(s.height),
                                "--dpi",
                                std::to_string(s.dpi),
                                "--fps",
                                std::to_string(s.fps),
                                "--android-version",
                                s.android_version,
                                "--serial",
                                s.device_id};
  if (!s.model.empty()) {
    argv.insert(argv.end(), {"--model", s.model});
  }
  return argv;
}

AdbEndpoint ProcessRuntime::spawn(Instance& inst) {
  auto child = std::make_unique<ChildProcess>(command_line(inst), inst.dir / "devicesim.log");
  auto rest = child->read_line_after("listening on ", options_.start_timeout);
  auto colon = rest ? rest->rfind(':') : std::string::npos;
  if (!rest || colon == std::string::npos) {
    auto exit = child->terminate(std::chrono::milliseconds(500));
    throw RuntimeError("simulated device did not report its ADB port (" + exit.describe() +
                       "; see " + (inst.dir / "devicesim.log").string() + ")");
  }
  AdbEndpoint endpoint{rest->substr(0, colon),
                       static_cast<uint16_t>(std::stoi(rest->substr(colon + 1)))};
  std::lock_guard lock(mu_);
  inst.child = std::move(child);
  inst.state = InstanceState::running;
  inst.endpoint = endpoint;
  inst.reason.clear();
  inst.started_at = Clock::now();
  return endpoint;
}

AdbEndpoint ProcessRuntime::start(const std::string& runtime_id) {
  auto inst = find(runtime_id);
  std::lock_guard op(inst->op);
  {
    std::lock_guard lock(mu_);
    if (inst->state == InstanceState::running) return inst->endpoint;
    inst->restarts = 0;
    inst->consecutive = 0;
  }
  return spawn(*inst);
}

void ProcessRuntime::stop_locked(Instance& inst, std::chrono::milliseconds grace) {
  if (inst.child) {
    inst.child->terminate(grace);
    inst.child.reset();
  }
  std::lock_guard lock(mu_);
  inst.state = InstanceState::stopped;
  inst.reason = "stopped on request";
  inst.endpoint = {};
}

void ProcessRuntime::stop(const std::string& runtime_id, std::chrono::milliseconds grace) {
  auto inst = find(runtime_id);
  std::lock_guard op(inst->op);
  stop_locked(*inst, grace);
}

AdbEndpoint ProcessRuntime::restart(const std::string& runtime_id,
                                    std::chrono::milliseconds grace) {
  auto inst = find(runtime_id);
  std::lock_guard op(inst->op);
  stop_locked(*inst, grace);
  {
    std::lock_guard lock(mu_);
    inst->restarts = 0;
    inst->consecutive = 0;
  }
  return spawn(*inst);
}

void ProcessRuntime::remove(const std::string& runtime_id) {
  std::shared_ptr<Instance> inst;
  {
    std::lock_guard lock(mu_);
    auto it = instances_.find(runtime_id);
    if (it == instances_.end()) return;
    inst = it->second;
  }
  std::lock_guard op(inst->op);
  stop_locked(*inst, std::chrono::seconds(5));
  std::error_code ec;
  fs::remove_all(inst->dir, ec);
  std::lock_guard lock(mu_);
  instances_.erase(runtime_id);
}

InstanceStatus ProcessRuntime::inspect(const std::string& runtime_id) {
  std::lock_guard lock(mu_);
  auto it = instances_.find(runtime_id);
  if (it == instances_.end())
    return {InstanceState::absent, {}, "not known to this process", 0, {}};
  const auto& inst = *it->second;
  InstanceStatus status{inst.state, inst.endpoint, inst.reason, inst.restarts, {}};
  if (inst.state == InstanceState::running && inst.child) status.pid = inst.child->pid();
  return status;
}

std::string ProcessRuntime::logs(const std::string& runtime_id, size_t max_bytes) {
  auto inst = find(runtime_id);
  std::ifstream in(inst->dir / "devicesim.log", std::ios::binary | std::ios::ate);
  if (!in) return "";
  auto size = static_cast<size_t>(in.tellg());
  size_t from = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(from));
  std::string out(size - from, '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  return out;
}

std::vector<std::string> ProcessRuntime::list() {
  std::lock_guard lock(mu_);
  std::vector<std::string> ids;
  for (const auto& [id, _] : instances_) ids.push_back(id);
  return ids;
}

fs::path ProcessRuntime::snapshot_dir(const std::string& snapshot_id) const {
  if (snapshot_id.empty() || snapshot_id.size() > 128 || snapshot_id[0] == '.' ||
      snapshot_id.find('/') != std::string::npos) {
    throw RuntimeError("invalid snapshot id for a directory: '" + snapshot_id + "'");
  }
  return options_.snapshot_root / snapshot_id;
}

namespace {
// Copies `from` to `to` through a temporary sibling, so `to` is either complete or absent.
void copy_tree_atomically(const fs::path& from, const fs::path& to) {
  auto tmp = to.parent_path() / (".tmp-" + to.filename().string());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp.parent_path());
  fs::copy(from, tmp, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::remove_all(to, ec);
  fs::rename(tmp, to);
}
}  // namespace

std::string ProcessRuntime::snapshot(const std::string& runtime_id,
                                     const std::string& snapshot_id) {
  auto target = snapshot_dir(snapshot_id);
  auto inst = find(runtime_id);
  std::lock_guard op(inst->op);  // no start/stop/restore while copying
  try {
    copy_tree_atomically(inst->dir / "state", target);
  } catch (const fs::filesystem_error& e) {
    throw RuntimeError("snapshot of " + runtime_id + " failed: " + e.what());
  }
  return target.string();
}

void ProcessRuntime::restore(const std::string& runtime_id, const std::string& snapshot_id) {
  auto source = snapshot_dir(snapshot_id);
  if (!fs::is_directory(source)) throw RuntimeError("no such snapshot: " + snapshot_id);
  auto inst = find(runtime_id);
  std::lock_guard op(inst->op);
  {
    std::lock_guard lock(mu_);
    if (inst->state == InstanceState::running || inst->state == InstanceState::restarting) {
      throw RuntimeError("restore of " + runtime_id + ": the instance is " +
                         to_string(inst->state) + "; stop it first");
    }
  }
  try {
    copy_tree_atomically(source, inst->dir / "state");
  } catch (const fs::filesystem_error& e) {
    throw RuntimeError("restore of " + runtime_id + " failed: " + e.what());
  }
}

void ProcessRuntime::remove_snapshot(const std::string& snapshot_id) {
  std::error_code ec;
  fs::remove_all(snapshot_dir(snapshot_id), ec);
  if (ec) throw RuntimeError("remove snapshot " + snapshot_id + ": " + ec.message());
}

void ProcessRuntime::supervise() {
  for (;;) {
    {
      std::unique_lock lock(wake_mu_);
      wake_.wait_for(lock, options_.supervise_interval, [this] { return stopping_; });
      if (stopping_) return;
    }
    std::vector<std::shared_ptr<Instance>> all;
    {
      std::lock_guard lock(mu_);
      for (const auto& [_, inst] : instances_) all.push_back(inst);
    }
    for (const auto& inst : all) {
      std::unique_lock op(inst->op, std::try_to_lock);
      if (op.owns_lock()) check(*inst);  // busy instances are checked next round
    }
  }
}

// Reaps an unexpectedly exited child and applies the restart policy. Caller holds inst.op.
void ProcessRuntime::check(Instance& inst) {
  if (inst.child) {
    auto exit = inst.child->try_reap();
    if (!exit) {
      std::lock_guard lock(mu_);
      if (Clock::now() - inst.started_at > options_.restart.stable_after) inst.consecutive = 0;
      return;
    }
    inst.child.reset();
    std::lock_guard lock(mu_);
    ++inst.consecutive;
    inst.endpoint = {};
    inst.reason = "simulated device " + exit->describe();
    if (inst.consecutive > options_.restart.max_restarts) {
      inst.state = InstanceState::failed;
      inst.reason +=
          "; gave up after " + std::to_string(options_.restart.max_restarts) + " restarts";
    } else {
      inst.state = InstanceState::restarting;
      inst.restart_at = Clock::now() + restart_backoff(options_.restart, inst.consecutive);
    }
    log_event(spdlog::level::warn, "runtime", "device process exited",
              {{"device_id", inst.spec.device_id}, {"reason", inst.reason}});
    return;
  }
  bool due = false;
  {
    std::lock_guard lock(mu_);
    due = inst.state == InstanceState::restarting && Clock::now() >= inst.restart_at;
  }
  if (!due) return;
  try {
    spawn(inst);
    std::lock_guard lock(mu_);
    ++inst.restarts;
  } catch (const std::exception& e) {
    std::lock_guard lock(mu_);
    ++inst.consecutive;
    inst.reason = std::string("restart failed: ") + e.what();
    inst.restart_at = Clock::now() + restart_backoff(options_.restart, inst.consecutive);
    if (inst.consecutive > options_.restart.max_restarts) inst.state = InstanceState::failed;
  }
}

const char* to_string(InstanceState state) {
  switch (state) {
    case InstanceState::absent:
      return "absent";
    case InstanceState::created:
      return "created";
    case InstanceState::running:
      return "running";
    case InstanceState::restarting:
      return "restarting";
    case InstanceState::stopped:
      return "stopped";
    case InstanceState::failed:
      return "failed";
  }
  return "unknown";
}

}  // namespace cp::runtime
