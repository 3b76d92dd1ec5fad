#include "android/adb/adb_mux.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "android/adb/adb_socket.h"

namespace cp::adb {

AdbMux::AdbMux(int fd, PacketParser parser, uint32_t max_payload, OpenHandler on_open,
               std::string name)
    : core_(std::make_shared<MuxCore>()),
      fd_(fd),
      on_open_(std::move(on_open)),
      name_(std::move(name)) {
  core_->max_payload = max_payload;
  parser.set_max_payload(max_payload);
  writer_ = std::thread([this] { writer_loop(); });
  reader_ = std::thread([this, p = std::move(parser)]() mutable { reader_loop(std::move(p)); });
}

AdbMux::~AdbMux() {
  shutdown("connection closed locally");
  if (reader_.joinable()) reader_.join();
  if (writer_.joinable()) writer_.join();
  std::vector<ServiceThread> services;
  {
    std::lock_guard lock(services_mu_);
    services.swap(services_);
  }
  for (auto& s : services) s.thread.join();
  ::close(fd_);
}

void AdbMux::shutdown(const std::string& reason) {
  mark_dead(reason);
  ::shutdown(fd_, SHUT_RDWR);  // wakes the reader blocked in recv
}

bool AdbMux::alive() const {
  std::lock_guard lock(core_->mu);
  return !core_->dead;
}

std::string AdbMux::dead_reason() const {
  std::lock_guard lock(core_->mu);
  return core_->dead_reason;
}

void AdbMux::wait_until_dead() {
  std::unique_lock lock(core_->mu);
  core_->cv.wait(lock, [&] { return core_->dead; });
}

void AdbMux::mark_dead(const std::string& reason) {
  std::vector<std::shared_ptr<AdbStream>> streams;  // released after unlocking
  {
    std::lock_guard lock(core_->mu);
    if (core_->dead) return;
    core_->dead = true;
    core_->dead_reason = reason;
    for (auto& [id, stream] : core_->streams) {
      stream->on_dead_locked();
      streams.push_back(stream);
    }
    core_->streams.clear();
    core_->cv.notify_all();
  }
  spdlog::debug("adb[{}]: connection down: {}", name_, reason);
}

std::shared_ptr<AdbStream> AdbMux::open(const std::string& service, Millis timeout) {
  std::unique_lock lock(core_->mu);
  if (core_->dead) throw AdbError("adb: connection lost (" + core_->dead_reason + ")");
  uint32_t id = core_->next_local_id++;
  auto stream = std::make_shared<AdbStream>(core_, id, service);
  core_->streams[id] = stream;
  std::string payload = service;
  payload.push_back('\0');
  core_->enqueue_locked(
      kOpen, id, 0, std::span(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
  bool ready = core_->cv.wait_for(
      lock, timeout, [&] { return core_->dead || stream->remote_id_ != 0 || stream->refused_; });
  if (ready && stream->remote_id_ != 0) return stream;
  core_->streams.erase(id);
  stream->local_closed_ = true;  // nothing to send: the peer never accepted it
  std::string error = core_->dead        ? "adb: connection lost (" + core_->dead_reason + ")"
                      : stream->refused_ ? "adb: device refused service '" + service + "'"
                                         : "adb: timed out opening '" + service + "'";
  lock.unlock();  // `stream` is destroyed during unwinding and its destructor locks
  throw AdbError(error);
}

void AdbMux::start_service(std::function<void()> work) {
  std::lock_guard lock(services_mu_);
  // Join the finished ones first: a long-lived connection runs thousands of commands.
  std::erase_if(services_, [](ServiceThread& s) {
    if (!s.done->load()) return false;
    s.thread.join();
    return true;
  });
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([work = std::move(work), done] {
    try {
      work();
    } catch (const std::exception& e) {
      spdlog::debug("adb: service thread ended with: {}", e.what());
    }
    *done = true;
  });
  services_.push_back({std::move(thread), std::move(done)});
}

void AdbMux::writer_loop() {
  for (;;) {
    std::vector<uint8_t> packet;
    {
      std::unique_lock lock(core_->mu);
      core_->cv.wait(lock, [&] { return core_->dead || !core_->outgoing.empty(); });
      if (core_->dead) return;
      packet = std::move(core_->outgoing.front());
      core_->outgoing.pop_front();
    }
    if (!send_all(fd_, packet)) {
      shutdown(std::string("send failed: ") + std::strerror(errno));
      return;
    }
  }
}

void AdbMux::reader_loop(PacketParser parser) {
  std::vector<uint8_t> buf(256 * 1024);
  try {
    for (;;) {
      while (auto msg = parser.next()) dispatch(*msg);
      ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n == 0) return mark_dead("peer closed the connection");
      if (n < 0) {
        if (errno == EINTR) continue;
        return mark_dead(std::string("recv failed: ") + std::strerror(errno));
      }
      parser.feed(std::span(buf.data(), static_cast<size_t>(n)));
    }
  } catch (const std::exception& e) {
    shutdown(e.what());
  }
}

void AdbMux::dispatch(AdbMessage& msg) {
  std::shared_ptr<AdbStream> released;  // destroyed after the lock is dropped
  std::unique_lock lock(core_->mu);
  switch (msg.command) {
    case kOpen: {
      if (msg.arg0 == 0) return;  // no id to answer to: malformed, ignored like adbd does
      std::string service(msg.payload_text());
      while (!service.empty() && service.back() == '\0') service.pop_back();
      uint32_t id = core_->next_local_id++;
      auto stream = std::make_shared<AdbStream>(core_, id, service);
      stream->remote_id_ = msg.arg0;
      stream->can_send_ = false;  // the handler may hand the stream on; no WRTE before our OKAY
      lock.unlock();
      std::function<void()> work = on_open_ ? on_open_(service, stream) : nullptr;
      lock.lock();
      if (!work) {
        stream->local_closed_ = true;
        core_->enqueue_locked(kClse, 0, msg.arg0, {});
        released = std::move(stream);  // its destructor takes the lock
        return;
      }
      core_->streams[id] = stream;
      core_->enqueue_locked(kOkay, id, msg.arg0, {});
      stream->can_send_ = true;
      core_->cv.notify_all();
      lock.unlock();
      start_service(std::move(work));
      return;
    }
    case kOkay:
    case kWrte:
    case kClse: {
      auto it = core_->streams.find(msg.arg1);
      if (it == core_->streams.end()) return;  // late packet for a closed stream: ignore
      auto& stream = it->second;
      if (stream->remote_id_ != 0 && msg.arg0 != 0 && stream->remote_id_ != msg.arg0) return;
      if (msg.command == kOkay) {
        stream->on_okay_locked(msg.arg0);
      } else if (msg.command == kWrte) {
        stream->on_write_locked(msg.payload);
      } else {
        stream->on_close_locked();
        released = std::move(it->second);
        core_->streams.erase(it);
      }
      core_->cv.notify_all();
      return;
    }
    default:
      spdlog::debug("adb[{}]: ignoring {} packet", name_, command_name(msg.command));
  }
}

}  // namespace cp::adb
