// String pools built by hand: encodings, length forms, and the decode budget.
#include "android/apk/string_pool.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cp::apk {
namespace {

class PoolBuilder {
 public:
  explicit PoolBuilder(bool utf8) : utf8_(utf8) {}

  // Adds an offset pointing at `data_offset` within the string data.
  PoolBuilder& offset(uint32_t data_offset) {
    offsets_.push_back(data_offset);
    return *this;
  }
  // Appends raw string data and returns where it starts.
  uint32_t data(const std::vector<uint8_t>& bytes) {
    uint32_t at = static_cast<uint32_t>(data_.size());
    data_.insert(data_.end(), bytes.begin(), bytes.end());
    return at;
  }
  uint32_t utf16(const std::u16string& text) {
    std::vector<uint8_t> bytes;
    push16(bytes, static_cast<uint16_t>(text.size()));
    for (char16_t unit : text) {
      push16(bytes, unit);
    }
    push16(bytes, 0);
    return data(bytes);
  }

  std::vector<uint8_t> build() const {
    std::vector<uint8_t> out;
    uint32_t strings_start = 28 + 4 * static_cast<uint32_t>(offsets_.size());
    push16(out, 0x0001);
    push16(out, 28);
    push32(out, strings_start + static_cast<uint32_t>(data_.size()));
    push32(out, static_cast<uint32_t>(offsets_.size()));
    push32(out, 0);                    // styles
    push32(out, utf8_ ? 1u << 8 : 0);  // flags
    push32(out, strings_start);
    push32(out, 0);
    for (uint32_t o : offsets_) {
      push32(out, o);
    }
    out.insert(out.end(), data_.begin(), data_.end());
    return out;
  }

 private:
  static void push16(std::vector<uint8_t>& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v));
    b.push_back(static_cast<uint8_t>(v >> 8));
  }
  static void push32(std::vector<uint8_t>& b, uint32_t v) {
    push16(b, static_cast<uint16_t>(v));
    push16(b, static_cast<uint16_t>(v >> 16));
  }

  bool utf8_;
  std::vector<uint32_t> offsets_;
  std::vector<uint8_t> data_;
};

StringPool pool_of(const std::vector<uint8_t>& bytes, size_t budget = 1u << 20) {
  return StringPool(read_chunk(ByteView(bytes), 0), budget);
}

TEST(StringPool, Utf16WithSurrogatePairAndLoneSurrogate) {
  PoolBuilder builder(false);
  builder.offset(builder.utf16(u"a\U0001F600"));
  builder.offset(builder.utf16(std::u16string(1, char16_t{0xd800}) + u"x"));
  std::vector<uint8_t> bytes = builder.build();
  StringPool pool = pool_of(bytes);
  EXPECT_EQ(pool.at(0), "a\xf0\x9f\x98\x80");
  EXPECT_EQ(pool.at(1), "\xef\xbf\xbdx");  // U+FFFD for the unpaired surrogate
  EXPECT_THROW(pool.at(2), ApkError);
}

TEST(StringPool, Utf8WithTwoByteLengths) {
  std::string text(300, 'z');
  // UTF-16 length and UTF-8 length, each 0x8000 | high byte, then low byte.
  std::vector<uint8_t> data(4 + text.size() + 1, 0);
  data[0] = data[2] = 0x81;
  data[1] = data[3] = 0x2c;
  std::copy(text.begin(), text.end(), data.begin() + 4);
  PoolBuilder builder(true);
  builder.offset(builder.data(data));
  std::vector<uint8_t> bytes = builder.build();
  EXPECT_EQ(pool_of(bytes).at(0), text);
}

TEST(StringPool, LengthPastTheEndThrows) {
  PoolBuilder builder(false);
  builder.offset(builder.data({0xff, 0x7f, 'a', 0}));  // claims 32767 units, has one
  std::vector<uint8_t> bytes = builder.build();
  EXPECT_THROW(pool_of(bytes).at(0), ApkError);
}

TEST(StringPool, ManyIndicesOfOneLongStringExhaustTheBudget) {
  PoolBuilder builder(false);
  uint32_t at = builder.utf16(std::u16string(30000, u'x'));
  for (int i = 0; i < 1000; ++i) {
    builder.offset(at);
  }
  std::vector<uint8_t> bytes = builder.build();
  StringPool pool = pool_of(bytes, 1u << 20);
  EXPECT_EQ(pool.at(0).size(), 30000u);
  EXPECT_THROW(
      {
        for (uint32_t i = 0; i < pool.size(); ++i) {
          pool.at(i);
        }
      },
      ApkError);
}

TEST(StringPool, OffsetTableLargerThanChunkThrows) {
  PoolBuilder builder(false);
  builder.offset(builder.utf16(u"ok"));
  std::vector<uint8_t> bytes = builder.build();
  bytes[8] = 0xff;  // string count low byte: 255 offsets cannot fit
  EXPECT_THROW(pool_of(bytes), ApkError);
}

}  // namespace
}  // namespace cp::apk
