#include "devicesim/memory_pipe.h"

#include <algorithm>

namespace cp::devicesim {

std::pair<std::shared_ptr<MemoryPipe>, std::shared_ptr<MemoryPipe>> MemoryPipe::create_pair(
    size_t capacity) {
  auto a_to_b = std::make_shared<Channel>(std::max<size_t>(capacity, 1));
  auto b_to_a = std::make_shared<Channel>(std::max<size_t>(capacity, 1));
  return {std::make_shared<MemoryPipe>(b_to_a, a_to_b),
          std::make_shared<MemoryPipe>(a_to_b, b_to_a)};
}

std::shared_ptr<MemoryPipe> MemoryPipe::from_bytes(std::string_view bytes) {
  auto incoming = std::make_shared<Channel>(std::max<size_t>(bytes.size(), 1));
  incoming->bytes.assign(bytes.begin(), bytes.end());
  incoming->closed = true;
  auto sink = std::make_shared<Channel>(1);
  sink->closed = true;
  return std::make_shared<MemoryPipe>(incoming, sink);
}

size_t MemoryPipe::read(std::span<uint8_t> buf) {
  if (buf.empty()) {
    return 0;
  }
  std::unique_lock lock(in_->mu);
  in_->cv.wait(lock, [&] { return !in_->bytes.empty() || in_->closed; });
  const size_t n = std::min(buf.size(), in_->bytes.size());
  std::copy_n(in_->bytes.begin(), n, buf.begin());
  in_->bytes.erase(in_->bytes.begin(), in_->bytes.begin() + static_cast<std::ptrdiff_t>(n));
  in_->cv.notify_all();  // a writer may be waiting for room
  return n;
}

bool MemoryPipe::write(std::span<const uint8_t> data) {
  std::unique_lock lock(out_->mu);
  while (!data.empty()) {
    out_->cv.wait(lock, [&] { return out_->bytes.size() < out_->capacity || out_->closed; });
    if (out_->closed) {
      return false;
    }
    const size_t n = std::min(data.size(), out_->capacity - out_->bytes.size());
    out_->bytes.insert(out_->bytes.end(), data.begin(),
                       data.begin() + static_cast<std::ptrdiff_t>(n));
    data = data.subspan(n);
    out_->cv.notify_all();
  }
  return true;
}

void MemoryPipe::close() {
  for (Channel* channel : {in_.get(), out_.get()}) {
    std::lock_guard lock(channel->mu);
    channel->closed = true;
    channel->cv.notify_all();
  }
}

}  // namespace cp::devicesim
