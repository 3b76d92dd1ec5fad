#include "android/adb/sync_protocol.h"

#include <charconv>

#include "android/adb/byte_order.h"

namespace cp::adb::sync {

std::vector<uint8_t> encode_block(uint32_t id, std::string_view bytes) {
  std::vector<uint8_t> out;
  out.reserve(8 + bytes.size());
  put_le32(out, id);
  put_le32(out, static_cast<uint32_t>(bytes.size()));
  append(out, bytes);
  return out;
}

std::vector<uint8_t> encode_word(uint32_t id, uint32_t value) {
  std::vector<uint8_t> out;
  put_le32(out, id);
  put_le32(out, value);
  return out;
}

std::vector<uint8_t> encode_stat_v1(const FileStat& st) {
  std::vector<uint8_t> out;
  put_le32(out, kStat);
  put_le32(out, st.mode);
  put_le32(out, static_cast<uint32_t>(st.size));
  put_le32(out, static_cast<uint32_t>(st.mtime));
  return out;
}

namespace {
void put_stat_v2_body(std::vector<uint8_t>& out, const FileStat& st) {
  put_le32(out, st.error);
  put_le64(out, st.dev);
  put_le64(out, st.ino);
  put_le32(out, st.mode);
  put_le32(out, st.nlink);
  put_le32(out, st.uid);
  put_le32(out, st.gid);
  put_le64(out, st.size);
  put_le64(out, static_cast<uint64_t>(st.atime));
  put_le64(out, static_cast<uint64_t>(st.mtime));
  put_le64(out, static_cast<uint64_t>(st.ctime));
}
}  // namespace

std::vector<uint8_t> encode_stat_v2(uint32_t id, const FileStat& st) {
  std::vector<uint8_t> out;
  put_le32(out, id);
  put_stat_v2_body(out, st);
  return out;
}

std::vector<uint8_t> encode_dent_v1(const DirEntry& e) {
  std::vector<uint8_t> out;
  put_le32(out, kDent);
  put_le32(out, e.stat.mode);
  put_le32(out, static_cast<uint32_t>(e.stat.size));
  put_le32(out, static_cast<uint32_t>(e.stat.mtime));
  put_le32(out, static_cast<uint32_t>(e.name.size()));
  append(out, e.name);
  return out;
}

std::vector<uint8_t> encode_dent_v2(const DirEntry& e) {
  std::vector<uint8_t> out;
  put_le32(out, kDnt2);
  put_stat_v2_body(out, e.stat);
  put_le32(out, static_cast<uint32_t>(e.name.size()));
  append(out, e.name);
  return out;
}

FileStat decode_stat_v1(std::span<const uint8_t> rec) {
  if (rec.size() < kStatV1Size) throw AdbError("sync: short STAT record");
  FileStat st;
  st.mode = get_le32(rec.data() + 4);
  st.size = get_le32(rec.data() + 8);
  st.mtime = get_le32(rec.data() + 12);
  return st;
}

FileStat decode_stat_v2(std::span<const uint8_t> rec) {
  if (rec.size() < kStatV2Size) throw AdbError("sync: short STA2 record");
  const uint8_t* p = rec.data() + 4;
  FileStat st;
  st.error = get_le32(p);
  st.dev = get_le64(p + 4);
  st.ino = get_le64(p + 12);
  st.mode = get_le32(p + 20);
  st.nlink = get_le32(p + 24);
  st.uid = get_le32(p + 28);
  st.gid = get_le32(p + 32);
  st.size = get_le64(p + 36);
  st.atime = static_cast<int64_t>(get_le64(p + 44));
  st.mtime = static_cast<int64_t>(get_le64(p + 52));
  st.ctime = static_cast<int64_t>(get_le64(p + 60));
  return st;
}

std::optional<SendTarget> parse_send_target(std::string_view spec) {
  size_t comma = spec.rfind(',');
  if (comma == std::string_view::npos || comma == 0) return std::nullopt;
  uint32_t mode = 0;
  auto digits = spec.substr(comma + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mode);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return SendTarget{std::string(spec.substr(0, comma)), mode};
}

}  // namespace cp::adb::sync
