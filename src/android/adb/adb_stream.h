#pragma once
// One ADB stream (OPEN/OKAY/WRTE/CLSE, protocols.md §1.7) seen as a blocking byte stream.
// Flow control as in adb 29: one WRTE in flight per direction; we acknowledge a peer's WRTE at
// once while our receive buffer is below a window, later (from read()) when it is not.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cp::adb {

using Millis = std::chrono::milliseconds;
// For callers (the device side) that rely on the connection dying instead of a timeout.
inline constexpr Millis kNoTimeout = std::chrono::hours(24 * 365);

class AdbStream;

// State shared by a connection's reader thread, writer thread and streams; one mutex for all
// of it keeps the locking obvious (contention is tiny next to socket I/O).
struct MuxCore {
  std::mutex mu;
  std::condition_variable cv;  // any state change; waiters re-check their own condition
  std::deque<std::vector<uint8_t>> outgoing;
  bool dead = false;
  std::string dead_reason;
  uint32_t max_payload = 4096;
  uint32_t next_local_id = 1;
  std::map<uint32_t, std::shared_ptr<AdbStream>> streams;  // by local id

  void enqueue_locked(uint32_t command, uint32_t arg0, uint32_t arg1,
                      std::span<const uint8_t> payload);
};

class AdbStream {
 public:
  AdbStream(std::shared_ptr<MuxCore> core, uint32_t local_id, std::string service);
  // Closes the stream; locks core->mu, so the last reference must never drop under that lock.
  ~AdbStream();

  // Up to buf.size() bytes; 0 = the peer closed the stream (EOF). Throws AdbError on timeout
  // or when the connection died (a lost device is an error, never a silent EOF).
  size_t read(std::span<uint8_t> buf, Millis timeout);
  // Reads exactly buf.size() bytes or throws (EOF counts as an error here).
  void read_exact(std::span<uint8_t> buf, Millis timeout);
  // Everything until the peer closes; `timeout` bounds the whole call.
  std::string read_to_end(Millis timeout);
  // Sends all bytes as WRTEs of at most max_payload, each after the previous one's OKAY.
  void write(std::span<const uint8_t> data, Millis timeout);
  void write(std::string_view data, Millis timeout);
  // Waits (bounded) for our last WRTE to be acknowledged, then sends CLSE. Idempotent.
  void close(Millis linger = std::chrono::seconds(5));

  uint32_t local_id() const { return local_id_; }
  const std::string& service() const { return service_; }
  // Set once the stream is closed by either side or the connection dies.
  const std::atomic<bool>& closed_flag() const { return closed_flag_; }

 private:
  friend class AdbMux;
  // Called by the reader thread with core->mu held.
  void on_okay_locked(uint32_t remote_id);
  void on_write_locked(std::span<const uint8_t> data);
  void on_close_locked();
  void on_dead_locked();
  void ack_if_owed_locked();
  void throw_if_dead_locked() const;

  std::shared_ptr<MuxCore> core_;
  const uint32_t local_id_;
  const std::string service_;
  uint32_t remote_id_ = 0;  // 0 until the peer's OKAY for our OPEN (or set by the peer's OPEN)
  bool refused_ = false;    // peer answered OPEN with CLSE
  bool can_send_ = true;    // no WRTE of ours awaiting OKAY
  bool owe_okay_ = false;   // peer WRTE we have not acknowledged yet
  bool peer_closed_ = false;
  bool local_closed_ = false;
  std::string inbox_;
  size_t inbox_pos_ = 0;
  std::atomic<bool> closed_flag_{false};
};

}  // namespace cp::adb
