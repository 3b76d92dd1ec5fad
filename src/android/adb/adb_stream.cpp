#include "android/adb/adb_stream.h"

#include <algorithm>
#include <cstring>

#include "android/adb/adb_packet.h"

namespace cp::adb {
namespace {
// Bytes we buffer per stream before we stop acknowledging the peer's WRTEs.
constexpr size_t kReceiveWindow = 2 * 1024 * 1024;

std::chrono::steady_clock::time_point deadline_after(Millis timeout) {
  return std::chrono::steady_clock::now() + timeout;
}
}  // namespace

void MuxCore::enqueue_locked(uint32_t command, uint32_t arg0, uint32_t arg1,
                             std::span<const uint8_t> payload) {
  if (dead) return;
  outgoing.push_back(encode_message(command, arg0, arg1, payload));
  cv.notify_all();
}

AdbStream::AdbStream(std::shared_ptr<MuxCore> core, uint32_t local_id, std::string service)
    : core_(std::move(core)), local_id_(local_id), service_(std::move(service)) {}

AdbStream::~AdbStream() {
  close(Millis(0));
}

void AdbStream::throw_if_dead_locked() const {
  if (core_->dead) throw AdbError("adb: connection lost (" + core_->dead_reason + ")");
}

size_t AdbStream::read(std::span<uint8_t> buf, Millis timeout) {
  std::unique_lock lock(core_->mu);
  auto deadline = deadline_after(timeout);
  while (inbox_pos_ == inbox_.size()) {
    if (peer_closed_ || local_closed_) return 0;
    throw_if_dead_locked();
    if (core_->cv.wait_until(lock, deadline) == std::cv_status::timeout &&
        inbox_pos_ == inbox_.size() && !peer_closed_ && !core_->dead) {
      throw AdbError("adb: timed out reading from " + service_);
    }
  }
  size_t n = std::min(buf.size(), inbox_.size() - inbox_pos_);
  std::memcpy(buf.data(), inbox_.data() + inbox_pos_, n);
  inbox_pos_ += n;
  if (inbox_pos_ == inbox_.size()) {
    inbox_.clear();
    inbox_pos_ = 0;
  }
  ack_if_owed_locked();
  return n;
}

void AdbStream::read_exact(std::span<uint8_t> buf, Millis timeout) {
  auto deadline = deadline_after(timeout);
  size_t got = 0;
  while (got < buf.size()) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw AdbError("adb: timed out reading from " + service_);
    size_t n = read(buf.subspan(got), left);
    if (n == 0) throw AdbError("adb: " + service_ + " closed in the middle of a message");
    got += n;
  }
}

std::string AdbStream::read_to_end(Millis timeout) {
  auto deadline = deadline_after(timeout);
  std::string out;
  uint8_t buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw AdbError("adb: timed out reading from " + service_);
    size_t n = read(buf, left);
    if (n == 0) return out;
    out.append(reinterpret_cast<char*>(buf), n);
  }
}

void AdbStream::write(std::span<const uint8_t> data, Millis timeout) {
  std::unique_lock lock(core_->mu);
  auto deadline = deadline_after(timeout);
  while (!data.empty()) {
    while (!can_send_) {
      throw_if_dead_locked();
      if (peer_closed_ || local_closed_) throw AdbError("adb: " + service_ + " is closed");
      if (core_->cv.wait_until(lock, deadline) == std::cv_status::timeout && !can_send_) {
        throw AdbError("adb: timed out writing to " + service_);
      }
    }
    throw_if_dead_locked();
    if (peer_closed_ || local_closed_) throw AdbError("adb: " + service_ + " is closed");
    size_t n = std::min<size_t>(data.size(), core_->max_payload);
    core_->enqueue_locked(kWrte, local_id_, remote_id_, data.first(n));
    can_send_ = false;
    data = data.subspan(n);
  }
}

void AdbStream::write(std::string_view data, Millis timeout) {
  write(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()), timeout);
}

void AdbStream::close(Millis linger) {
  std::unique_lock lock(core_->mu);
  if (local_closed_) return;
  // Let the peer take our last WRTE before the CLSE, so nothing we wrote is dropped.
  auto deadline = deadline_after(linger);
  while (!can_send_ && !peer_closed_ && !core_->dead) {
    if (core_->cv.wait_until(lock, deadline) == std::cv_status::timeout) break;
  }
  local_closed_ = true;
  closed_flag_ = true;
  if (!peer_closed_ && remote_id_ != 0) core_->enqueue_locked(kClse, local_id_, remote_id_, {});
  auto it = core_->streams.find(local_id_);
  if (it != core_->streams.end() && it->second.get() == this) core_->streams.erase(it);
  core_->cv.notify_all();
}

void AdbStream::on_okay_locked(uint32_t remote_id) {
  if (remote_id_ == 0) {
    remote_id_ = remote_id;  // reply to our OPEN: the stream is ready
  } else {
    can_send_ = true;  // acknowledgement of our last WRTE
  }
}

void AdbStream::on_write_locked(std::span<const uint8_t> data) {
  if (local_closed_) return;
  inbox_.append(reinterpret_cast<const char*>(data.data()), data.size());
  owe_okay_ = true;
  ack_if_owed_locked();
}

void AdbStream::ack_if_owed_locked() {
  if (owe_okay_ && inbox_.size() - inbox_pos_ < kReceiveWindow && !local_closed_) {
    owe_okay_ = false;
    core_->enqueue_locked(kOkay, local_id_, remote_id_, {});
  }
}

void AdbStream::on_close_locked() {
  if (remote_id_ == 0) refused_ = true;
  peer_closed_ = true;
  closed_flag_ = true;
}

void AdbStream::on_dead_locked() {
  closed_flag_ = true;
}

}  // namespace cp::adb
