#include "android/adb/sync_protocol.h"

#include <gtest/gtest.h>

#include "android/adb/byte_order.h"

namespace cp::adb::sync {
namespace {

TEST(SyncProtocol, RecordSizesMatchAdb) {
  FileStat st;
  st.mode = 0100644;
  st.size = 5'000'000'000ull;
  st.mtime = 1700000000;
  EXPECT_EQ(encode_stat_v1(st).size(), kStatV1Size);
  EXPECT_EQ(encode_stat_v2(kSta2, st).size(), kStatV2Size);
  EXPECT_EQ(encode_dent_v1({"abc", st}).size(), kDentV1Size + 3);
  EXPECT_EQ(encode_dent_v2({"abc", st}).size(), kDentV2Size + 3);
  EXPECT_EQ(encode_block(kData, "xyz").size(), 8u + 3);
}

TEST(SyncProtocol, StatV2RoundTrips) {
  FileStat st;
  st.error = 0;
  st.dev = 1;
  st.ino = 99;
  st.mode = 040755;
  st.nlink = 2;
  st.uid = 2000;
  st.gid = 2000;
  st.size = 1ull << 40;
  st.atime = 1;
  st.mtime = 1700000000;
  st.ctime = 3;
  auto rec = encode_stat_v2(kLst2, st);
  EXPECT_EQ(get_le32(rec.data()), kLst2);
  FileStat back = decode_stat_v2(rec);
  EXPECT_EQ(back.ino, 99u);
  EXPECT_EQ(back.size, 1ull << 40);
  EXPECT_EQ(back.mtime, 1700000000);
  EXPECT_TRUE(back.is_dir());
  auto dent = encode_dent_v2({"name", st});
  EXPECT_EQ(get_le32(dent.data() + 72), 4u);  // namelen follows the 72-byte stat part
}

TEST(SyncProtocol, IdsAreFourLetterLittleEndian) {
  auto rec = encode_word(kDone, 0x11223344);
  EXPECT_EQ(std::string(rec.begin(), rec.begin() + 4), "DONE");
  EXPECT_EQ(get_le32(rec.data() + 4), 0x11223344u);
  EXPECT_EQ(kSta2, 0x32415453u);
  EXPECT_EQ(kLis2, 0x3253494Cu);
}

TEST(SyncProtocol, SendTargetSplitsAtTheLastComma) {
  auto t = parse_send_target("/sdcard/a,b.txt,33188");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/sdcard/a,b.txt");
  EXPECT_EQ(t->mode, 33188u);
  EXPECT_FALSE(parse_send_target("/sdcard/nomode"));
  EXPECT_FALSE(parse_send_target("/x,12ab"));
}

}  // namespace
}  // namespace cp::adb::sync
