#include "devicesim/memory_pipe.h"

#include <gtest/gtest.h>

#include <thread>

namespace cp::devicesim {
namespace {

std::string read_all(ByteStream& s) {
  std::string out;
  uint8_t buf[7];
  while (size_t n = s.read(buf)) {
    out.append(reinterpret_cast<const char*>(buf), n);
  }
  return out;
}

TEST(MemoryPipe, FromBytesReadsThenEnds) {
  auto s = MemoryPipe::from_bytes("hello, world");
  EXPECT_EQ(read_all(*s), "hello, world");
  EXPECT_FALSE(s->write("x"));
}

TEST(MemoryPipe, PairCarriesBothWaysWithFlowControl) {
  auto [a, b] = MemoryPipe::create_pair(4);  // smaller than the message: writer must block
  std::thread writer([a = a] {
    EXPECT_TRUE(a->write("a long message through a tiny pipe"));
    a->close();
  });
  EXPECT_EQ(read_all(*b), "a long message through a tiny pipe");
  writer.join();
  EXPECT_FALSE(b->write("peer gone"));
}

TEST(MemoryPipe, CloseWakesABlockedReader) {
  auto [a, b] = MemoryPipe::create_pair();
  std::thread reader([b = b] {
    uint8_t buf[4];
    EXPECT_EQ(b->read(buf), 0u);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  b->close();
  reader.join();
}

}  // namespace
}  // namespace cp::devicesim
