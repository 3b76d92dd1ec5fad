#include "android/scrcpy/scrcpy_session.h"

#include <array>
#include <random>

#include "android/adb/adb_connection.h"
#include "android/scrcpy/protocol.h"

namespace cp::scrcpy {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::chrono::milliseconds left_until(Clock::time_point deadline) {
  return std::max(0ms,
                  std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
}

}  // namespace

ScrcpySession::ScrcpySession(ScrcpySessionOptions options, ScrcpySessionCallbacks callbacks)
    : options_(std::move(options)), callbacks_(std::move(callbacks)) {}

std::unique_ptr<ScrcpySession> ScrcpySession::start(adb::AdbConnection& connection,
                                                    ScrcpySessionOptions options,
                                                    ScrcpySessionCallbacks callbacks) {
  std::unique_ptr<ScrcpySession> session(
      new ScrcpySession(std::move(options), std::move(callbacks)));
  session->launch(connection);  // on a throw the destructor closes what was opened
  return session;
}

ScrcpySession::~ScrcpySession() {
  stop();
}

void ScrcpySession::launch(adb::AdbConnection& connection) {
  ServerOptions& server = options_.server;
  server.tunnel_forward = true;
  server.audio = false;
  server.send_dummy_byte = server.send_device_meta = server.send_codec_meta = true;
  server.send_frame_meta = true;
  server.raw_stream = false;
  if (server.scid < 0) {
    server.scid = static_cast<int64_t>(std::random_device{}() & 0x7fffffff);
  }
  socket_ = socket_name(server);
  const auto deadline = Clock::now() + options_.start_timeout;

  if (!options_.push_server_from.empty()) {
    connection.push(options_.push_server_from, options_.server_path);
  }
  // The server runs as long as this shell stream: closing it ends the server, as killing
  // `adb shell` does for scrcpy.
  shell_ =
      connection.open("shell:" + join_command(build_server_command(server, options_.server_path)));
  log_thread_ = std::thread([this] { log_loop(); });

  // The server listens a moment after it starts; retry as scrcpy's client does.
  auto open_socket = [&](const char* what) {
    for (;;) {
      try {
        return connection.open("localabstract:" + socket_);
      } catch (const adb::AdbError&) {
        if (!connection.alive()) {
          throw;
        }
        if (server_exited_) {
          throw ProtocolError(std::string("scrcpy server exited before the ") + what +
                              " socket opened: " + server_log());
        }
        if (Clock::now() >= deadline) {
          throw ProtocolError(std::string("scrcpy server did not listen on ") + socket_ + " (" +
                              what + "): " + server_log());
        }
        std::this_thread::sleep_for(50ms);
      }
    }
  };
  if (server.video) {
    video_ = open_socket("video");
  }
  if (server.control) {
    control_ = open_socket("control");
  }
  if (video_) {
    read_meta();
  }
  started_ = true;
  if (video_) {
    video_thread_ = std::thread([this] { video_loop(); });
  }
  if (control_) {
    control_thread_ = std::thread([this] { control_loop(); });
  }
}

void ScrcpySession::read_meta() {
  const auto deadline = Clock::now() + options_.start_timeout;
  bool have_device = false, have_codec = false;
  std::array<uint8_t, 4096> buf{};
  while (!have_codec) {
    while (auto event = demuxer_.next()) {
      if (auto* d = std::get_if<DeviceMeta>(&*event)) {
        device_ = *d;
        have_device = true;
      } else if (auto* c = std::get_if<CodecMeta>(&*event)) {
        codec_ = *c;
        have_codec = true;
        break;
      }
    }
    if (have_codec) {
      break;
    }
    const auto left = left_until(deadline);
    if (left == 0ms) {
      throw ProtocolError("scrcpy: no codec meta on the video socket in time");
    }
    const size_t n = video_->read(buf, left);
    if (n == 0) {
      throw ProtocolError("scrcpy: the device closed the video socket before the codec meta: " +
                          server_log());
    }
    demuxer_.feed(std::span(buf.data(), n));
  }
  if (!have_device) {
    throw ProtocolError("scrcpy: no device meta before the codec meta");
  }
  if (codec_.codec_id == kCodecDisabled) {
    throw ProtocolError("scrcpy: the device disabled the video stream");
  }
}

void ScrcpySession::video_loop() {
  std::array<uint8_t, 64 * 1024> buf{};
  try {
    for (;;) {
      // Drain first: bytes after the codec meta may already be buffered.
      while (auto event = demuxer_.next()) {
        if (auto* packet = std::get_if<VideoPacket>(&*event)) {
          if (callbacks_.on_video) {
            callbacks_.on_video(std::move(*packet));
          }
        }
      }
      const size_t n = video_->read(buf, options_.video_stall_timeout);
      if (n == 0) {
        end(stopping_ ? "" : "scrcpy: the device closed the video socket");
        return;
      }
      demuxer_.feed(std::span(buf.data(), n));
    }
  } catch (const std::exception& e) {
    end(stopping_ ? "" : std::string("scrcpy video: ") + e.what());
  }
}

void ScrcpySession::control_loop() {
  DeviceMessageReader reader;
  std::array<uint8_t, 16 * 1024> buf{};
  try {
    for (;;) {
      const size_t n = control_->read(buf, adb::kNoTimeout);  // silent for as long as it likes
      if (n == 0) {
        end(stopping_ ? "" : "scrcpy: the device closed the control socket");
        return;
      }
      reader.feed(std::span(buf.data(), n));
      while (auto message = reader.next()) {
        if (callbacks_.on_device_message) {
          callbacks_.on_device_message(std::move(*message));
        }
      }
    }
  } catch (const std::exception& e) {
    end(stopping_ ? "" : std::string("scrcpy control: ") + e.what());
  }
}

void ScrcpySession::log_loop() {
  std::array<uint8_t, 4096> buf{};
  try {
    while (size_t n = shell_->read(buf, adb::kNoTimeout)) {
      std::lock_guard lock(mu_);
      server_log_.append(reinterpret_cast<const char*>(buf.data()), n);
      if (server_log_.size() > 64 * 1024) {
        server_log_.erase(0, server_log_.size() - 64 * 1024);
      }
    }
  } catch (const std::exception&) {
    // The connection died; the reader threads report it.
  }
  server_exited_ = true;
}

void ScrcpySession::end(const std::string& reason) {
  {
    std::lock_guard lock(mu_);
    if (ended_) {
      return;
    }
    error_ = reason;
    ended_ = true;
  }
  ended_cv_.notify_all();
  // Unblocks every session thread: reads on closed streams return 0 at once.
  for (auto* stream : {&video_, &control_, &shell_}) {
    if (*stream) {
      (*stream)->close(0ms);
    }
  }
  if (started_ && callbacks_.on_end) {
    callbacks_.on_end(reason);
  }
}

bool ScrcpySession::send(const ControlMessage& message) {
  if (ended_ || !control_) {
    return false;
  }
  try {
    std::lock_guard lock(send_mu_);  // a message larger than one WRTE must not interleave
    control_->write(encode(message), options_.control_write_timeout);
    return true;
  } catch (const std::exception& e) {
    end(std::string("scrcpy control: ") + e.what());
    return false;
  }
}

void ScrcpySession::stop() {
  stopping_ = true;
  end("");
  for (auto* t : {&video_thread_, &control_thread_, &log_thread_}) {
    if (t->joinable() && t->get_id() != std::this_thread::get_id()) {
      t->join();
    }
  }
}

bool ScrcpySession::wait_ended(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return ended_cv_.wait_for(lock, timeout, [this] { return ended_.load(); });
}

std::string ScrcpySession::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

std::string ScrcpySession::server_log() const {
  std::lock_guard lock(mu_);
  return server_log_;
}

}  // namespace cp::scrcpy
