#pragma once
// In-memory ByteStreams: the second implementation of ByteStream, for tests and for wiring parts
// of the simulator together without sockets.
//   auto [a, b] = MemoryPipe::create_pair();   // what is written to a is read from b and back
//   auto in = MemoryPipe::from_bytes("...");   // reads the bytes, then end of stream
// Each direction is a bounded buffer: write() blocks while it is full (flow control), read()
// blocks while it is empty. close() on either end ends both directions: reads drain what is
// buffered and then return 0, writes return false.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <utility>

#include "devicesim/device.h"

namespace cp::devicesim {

class MemoryPipe final : public ByteStream {
 public:
  static constexpr size_t kDefaultCapacity = 1 << 20;

  static std::pair<std::shared_ptr<MemoryPipe>, std::shared_ptr<MemoryPipe>> create_pair(
      size_t capacity = kDefaultCapacity);
  // A stream whose reads return `bytes` and then 0; writes are discarded.
  static std::shared_ptr<MemoryPipe> from_bytes(std::string_view bytes);

  size_t read(std::span<uint8_t> buf) override;
  bool write(std::span<const uint8_t> data) override;
  bool write(std::string_view text) {
    return write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  void close() override;

  // One direction of the pipe. Shared by the two ends.
  struct Channel {
    explicit Channel(size_t cap) : capacity(cap) {}
    const size_t capacity;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<uint8_t> bytes;
    bool closed = false;
  };
  MemoryPipe(std::shared_ptr<Channel> incoming, std::shared_ptr<Channel> outgoing)
      : in_(std::move(incoming)), out_(std::move(outgoing)) {}

 private:
  std::shared_ptr<Channel> in_;
  std::shared_ptr<Channel> out_;
};

}  // namespace cp::devicesim
