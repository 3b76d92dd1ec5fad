#include "devicesim/scrcpy_server.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <thread>

#include "android/scrcpy/protocol.h"
#include "android/scrcpy/video_stream.h"
#include "devicesim/logcat.h"
#include "devicesim/memory_pipe.h"
#include "devicesim/props.h"
#include "devicesim/scrcpy_server_session.h"
#include "devicesim/screen.h"
#include "devicesim/shell.h"

namespace cp::devicesim {
namespace {

using namespace std::chrono_literals;

// Sockets accepted on the abstract name, in connection order.
class AcceptQueue {
 public:
  void push(std::shared_ptr<ByteStream> s) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(s));
    cv_.notify_all();
  }
  std::shared_ptr<ByteStream> pop(const std::atomic<bool>& cancelled) {
    std::unique_lock lock(mu_);
    while (queue_.empty()) {
      if (cancelled) {
        return nullptr;
      }
      cv_.wait_for(lock, 50ms);  // the shell's cancel flag does not notify: poll it
    }
    auto s = std::move(queue_.front());
    queue_.pop_front();
    return s;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<ByteStream>> queue_;
};

}  // namespace

ScrcpyServer::ScrcpyServer(SimulatedDevice& device) : device_(&device), config_(device.config()) {}

ScrcpyServer::ScrcpyServer(Screen& screen, AbstractSockets& sockets, DeviceConfig config)
    : screen_(&screen), sockets_(&sockets), config_(std::move(config)) {}

// The device builds its Screen before this server but resolve late anyway: no ordering trap.
Screen& ScrcpyServer::screen() {
  return device_ != nullptr ? device_->screen() : *screen_;
}
AbstractSockets& ScrcpyServer::sockets() {
  return device_ != nullptr ? device_->sockets() : *sockets_;
}

int ScrcpyServer::serve(const std::vector<std::string>& args, ShellIo& io) {
  auto log = [&io](const std::string& line) { io.out("[server] " + line + "\n"); };
  scrcpy::ServerOptions options;
  try {
    options = scrcpy::normalized(scrcpy::parse_server_args(args));
  } catch (const scrcpy::ProtocolError& e) {
    io.err(std::string("[server] ERROR: ") + e.what() + "\n");
    return 1;
  }
  if (!options.version.starts_with("3.")) {
    // The real server demands an exact match; this one speaks the 3.x protocol.
    io.err("[server] ERROR: The server version (" + std::string(scrcpy::kServerVersion) +
           ") does not match the client (" + options.version + ")\n");
    return 1;
  }
  if (options.video && options.video_codec != "h264") {
    io.err("[server] ERROR: Codec " + options.video_codec +
           " is not supported by the simulated device (h264 only)\n");
    return 1;
  }
  log("INFO: Device: [" + config_.manufacturer + "] " + config_.brand + " " + config_.model +
      " (Android " + config_.android_version + ") — cloudphone SIMULATOR");

  ScrcpySession session(screen(), options, config_.fps, log);
  if (device_ != nullptr) {
    session.stamp = device_->props().get_or("debug.cloudphone.stamp", "0") == "1";
    session.input_log = [device = device_](const std::string& line) {
      device->logcat().append(Logcat::Priority::kDebug, "InputDispatcher", line);
    };
    if (session.stamp) {
      log("INFO: capture time stamp drawn into the video (debug.cloudphone.stamp)");
    }
  }
  const std::string name = scrcpy::socket_name(options);
  std::vector<std::shared_ptr<ByteStream>*> slots;
  if (options.video) slots.push_back(&session.video);
  if (options.audio) slots.push_back(&session.audio);
  if (options.control) slots.push_back(&session.control);
  if (slots.empty()) {
    io.err("[server] ERROR: nothing to do: video, audio and control are all disabled\n");
    return 1;
  }

  if (options.tunnel_forward) {
    // Shared with the acceptor: a connect racing with unlisten must not touch a dead queue.
    auto queue = std::make_shared<AcceptQueue>();
    sockets().listen(name, [queue](std::shared_ptr<ByteStream> s) { queue->push(std::move(s)); });
    for (auto* slot : slots) {
      *slot = queue->pop(io.cancelled);
      if (!*slot) {
        break;
      }
      if (slot == slots.front() && options.send_dummy_byte) {
        // Forward mode: tells the client that the device really accepted (adb forward accepts
        // on the host even when nothing listens).
        session.write_all(**slot, {0});
      }
    }
    sockets().unlisten(name);
  } else {
    // Reverse mode: the server connects; adbd's `reverse:forward:` listener carries it to the host.
    for (auto* slot : slots) {
      auto [ours, theirs] = MemoryPipe::create_pair();
      if (!sockets().connect(name, theirs)) {
        io.err("[server] ERROR: Could not connect to localabstract:" + name + "\n");
        break;
      }
      *slot = ours;
    }
  }
  bool connected = true;
  for (auto* slot : slots) {
    connected = connected && *slot != nullptr;
  }
  if (connected && options.send_device_meta) {
    connected = session.write_all(**slots.front(), scrcpy::encode_device_meta(config_.model));
  }
  if (connected && session.audio && options.send_codec_meta) {
    // No audio capture in the simulator: "stream disabled", as a real Android 10 device sends.
    connected = session.write_all(*session.audio, {0, 0, 0, 0});
  }

  std::thread video_thread, control_thread;
  int clipboard_subscription = 0;
  if (connected) {
    if (session.video) {
      video_thread = std::thread([&session] { session.run_video(); });
    }
    if (session.control) {
      control_thread = std::thread([&session] { session.run_control(); });
      if (options.clipboard_autosync) {
        clipboard_subscription = session.screen.subscribe_clipboard(
            [&session](const std::string& text) { session.on_device_clipboard(text); });
      }
    }
    while (!session.stop && !io.cancelled) {
      std::this_thread::sleep_for(20ms);
    }
  }
  session.stop = true;
  if (clipboard_subscription != 0) {
    session.screen.unsubscribe_clipboard(clipboard_subscription);
  }
  for (auto* slot : slots) {
    if (*slot) {
      (*slot)->close();  // unblocks the loops' reads and writes
    }
  }
  if (video_thread.joinable()) video_thread.join();
  if (control_thread.joinable()) control_thread.join();
  log(connected ? "INFO: Session ended" : "ERROR: Session not established");
  return connected ? 0 : 1;
}

}  // namespace cp::devicesim
