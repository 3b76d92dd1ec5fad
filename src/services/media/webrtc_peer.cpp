#include "services/media/webrtc_peer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/log.h"
#include "services/media/webrtc_metrics.h"
#include "services/media/webrtc_wire.h"

extern char** environ;

namespace cp::media {
namespace {

constexpr int kWorkerFd = 3;

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

}  // namespace

WebRtcPeer::WebRtcPeer(const WebRtcPeerOptions& options,
                       std::shared_ptr<http::WsConnection> signalling,
                       WebRtcPeerCallbacks callbacks)
    : options_(options), signalling_(std::move(signalling)), callbacks_(std::move(callbacks)) {}

std::shared_ptr<WebRtcPeer> WebRtcPeer::start(const WebRtcPeerOptions& options,
                                              std::shared_ptr<http::WsConnection> signalling,
                                              WebRtcPeerCallbacks callbacks) {
  std::shared_ptr<WebRtcPeer> peer(
      new WebRtcPeer(options, std::move(signalling), std::move(callbacks)));
  int pair[2];
  // CLOEXEC: no other child (scrcpy, other workers) may inherit this worker's socket, or the
  // worker would never see EOF when the service closes its end.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0 ||
      ::pipe2(peer->wake_, O_CLOEXEC) != 0) {
    throw std::runtime_error("socketpair failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pair[1], kWorkerFd);  // dup2 clears CLOEXEC
  const std::string fd_text = std::to_string(kWorkerFd);
  std::string exe = options.worker_exe;
  char* argv[] = {exe.data(), const_cast<char*>("media-worker"), const_cast<char*>("--fd"),
                  const_cast<char*>(fd_text.c_str()), nullptr};
  const int rc = ::posix_spawn(&peer->pid_, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pair[1]);
  if (rc != 0) {
    ::close(pair[0]);
    throw std::runtime_error("cannot start the WebRTC worker " + exe + ": " + std::strerror(rc));
  }
  peer->sock_ = pair[0];
  set_nonblocking(peer->sock_);
  set_nonblocking(peer->wake_[0]);
  peer->enqueue(wire_frame(WireKind::kConfig,
                           boost::json::serialize(boost::json::object{{"stun", options.stun_url}})),
                false);
  webrtc_metrics().workers.add(1);
  // The thread owns a reference: the peer lives until its worker is reaped.
  std::thread([peer] { peer->run(); }).detach();
  return peer;
}

WebRtcPeer::~WebRtcPeer() {
  for (int fd : {sock_, wake_[0], wake_[1]}) {
    if (fd >= 0) ::close(fd);
  }
}

bool WebRtcPeer::send_text(std::string message) {
  return signalling_->send_text(std::move(message));
}

bool WebRtcPeer::send_binary(std::string message) {
  if (message.empty()) return false;
  const auto type = static_cast<uint8_t>(message[0]);  // viewer_feed.h FrameType
  {
    std::lock_guard lock(mu_);
    if (closing_) return false;
    if (type == 2) gated_ = false;
    if (type == 3 && gated_) {
      webrtc_metrics().frames_dropped.inc();
      return true;
    }
    if (queued_video_ >= options_.queue_frames && type != 1) {
      // The worker is not keeping up: everything queued is stale; restart from a key frame.
      std::erase_if(
          out_, [](const std::string& f) { return f[0] == static_cast<char>(WireKind::kVideo); });
      webrtc_metrics().frames_dropped.inc(static_cast<double>(queued_video_ + 1));
      queued_video_ = queued_bytes_ = 0;
      if (type == 3) {
        gated_ = true;
        want_key_frame_ = true;
        return true;
      }
    }
  }
  webrtc_metrics().frames_sent.inc();
  webrtc_metrics().bytes_sent.inc(static_cast<double>(message.size()));
  enqueue(wire_frame(WireKind::kVideo, message), true);
  return true;
}

http::WsConnection::Backlog WebRtcPeer::backlog() const {
  std::lock_guard lock(mu_);
  return {queued_video_, queued_bytes_};
}

void WebRtcPeer::signal(std::string json) {
  enqueue(wire_frame(WireKind::kSignal, json), false);
}

void WebRtcPeer::enqueue(std::string frame, bool video) {
  {
    std::lock_guard lock(mu_);
    if (closing_) return;
    if (video) {
      ++queued_video_;
      queued_bytes_ += frame.size();
    }
    out_.push_back(std::move(frame));
  }
  const char c = 1;
  [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
}

void WebRtcPeer::close() {
  {
    std::lock_guard lock(mu_);
    if (closing_) return;
    closing_ = true;
  }
  const char c = 1;
  [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
  signalling_->close();
}

void WebRtcPeer::run() {
  WireReader reader;
  std::string writing;  // the frame being written, partially
  size_t written = 0;
  std::string reason;
  char buf[64 * 1024];
  for (;;) {
    bool key_frame = false;
    {
      std::lock_guard lock(mu_);
      if (closing_) break;
      if (writing.empty() && !out_.empty()) {
        writing = std::move(out_.front());
        if (writing[0] == static_cast<char>(WireKind::kVideo)) {
          --queued_video_;
          queued_bytes_ -= writing.size();
        }
        out_.pop_front();
        written = 0;
      }
      key_frame = std::exchange(want_key_frame_, false);
    }
    if (key_frame && callbacks_.on_key_frame) callbacks_.on_key_frame();
    pollfd fds[2] = {{sock_, static_cast<short>(POLLIN | (writing.empty() ? 0 : POLLOUT)), 0},
                     {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, 500) < 0 && errno != EINTR) {
      reason = "poll failed";
      break;
    }
    if (fds[1].revents & POLLIN) {
      while (::read(wake_[0], buf, sizeof buf) > 0) {
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::read(sock_, buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        reason = "the WebRTC worker exited";
        break;
      }
      if (n > 0) reader.feed(buf, static_cast<size_t>(n));
      while (auto m = reader.next()) {
        switch (m->kind) {
          case WireKind::kSignal:
            signalling_->send_text(std::move(m->payload));
            break;
          case WireKind::kInput:
            if (callbacks_.on_input) callbacks_.on_input(m->payload);
            break;
          case WireKind::kKeyFrame:
            webrtc_metrics().keyframe_requests.inc();
            if (callbacks_.on_key_frame) callbacks_.on_key_frame();
            break;
          case WireKind::kError:
            reason = "WebRTC worker: " + m->payload;
            break;
          default:
            break;
        }
      }
      if (reader.failed()) {
        reason = "malformed message from the WebRTC worker";
        break;
      }
    }
    if (!writing.empty() && (fds[0].revents & POLLOUT)) {
      const ssize_t n =
          ::send(sock_, writing.data() + written, writing.size() - written, MSG_NOSIGNAL);
      if (n > 0) {
        written += static_cast<size_t>(n);
        if (written == writing.size()) writing.clear();
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        reason = "the WebRTC worker exited";
        break;
      }
    }
  }
  ::shutdown(sock_, SHUT_RDWR);  // the worker sees EOF and exits
  const auto status = reap();
  webrtc_metrics().workers.add(-1);
  bool by_us = false;
  {
    std::lock_guard lock(mu_);
    by_us = closing_;
    closing_ = true;
    out_.clear();
  }
  if (!by_us) {
    webrtc_metrics().worker_failures.inc();
    log_event(spdlog::level::warn, "media", "WebRTC worker ended",
              {{"reason", reason}, {"status", status}});
    if (callbacks_.on_ended)
      callbacks_.on_ended(reason.empty() ? status : reason + " (" + status + ")");
  }
}

std::string WebRtcPeer::reap() {
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0) return "not reaped";
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFSIGNALED(status)) return "worker killed by signal " + std::to_string(WTERMSIG(status));
  return "worker exit code " + std::to_string(WEXITSTATUS(status));
}

}  // namespace cp::media
