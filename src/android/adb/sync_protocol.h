#pragma once
// The `sync:` file protocol records (protocols.md §3): shared by AdbConnection's SyncClient and
// the simulator's adbd. All integers little-endian; ids are four ASCII letters.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "android/adb/adb_packet.h"

namespace cp::adb::sync {

inline constexpr uint32_t kStat = fourcc("STAT");
inline constexpr uint32_t kSta2 = fourcc("STA2");
inline constexpr uint32_t kLst2 = fourcc("LST2");
inline constexpr uint32_t kList = fourcc("LIST");
inline constexpr uint32_t kLis2 = fourcc("LIS2");
inline constexpr uint32_t kDent = fourcc("DENT");
inline constexpr uint32_t kDnt2 = fourcc("DNT2");
inline constexpr uint32_t kSend = fourcc("SEND");
inline constexpr uint32_t kRecv = fourcc("RECV");
inline constexpr uint32_t kData = fourcc("DATA");
inline constexpr uint32_t kDone = fourcc("DONE");
inline constexpr uint32_t kOkay = fourcc("OKAY");
inline constexpr uint32_t kFail = fourcc("FAIL");
inline constexpr uint32_t kQuit = fourcc("QUIT");

inline constexpr size_t kMaxPathLength = 1024;
inline constexpr size_t kMaxDataChunk = 64 * 1024;
inline constexpr size_t kSendChunk = kMaxDataChunk - 8;  // what adb uses (65528)
inline constexpr size_t kStatV1Size = 16;
inline constexpr size_t kStatV2Size = 72;
inline constexpr size_t kDentV1Size = 20;  // + name
inline constexpr size_t kDentV2Size = 76;  // + name

struct FileStat {
  uint32_t error = 0;  // errno (Linux numbering) for v2 replies, 0 = ok
  uint64_t dev = 0, ino = 0;
  uint32_t mode = 0, nlink = 0, uid = 0, gid = 0;
  uint64_t size = 0;
  int64_t atime = 0, mtime = 0, ctime = 0;
  bool is_dir() const { return (mode & 0170000) == 0040000; }
  bool is_regular() const { return (mode & 0170000) == 0100000; }
};

struct DirEntry {
  std::string name;
  FileStat stat;
};

// `id, len, bytes` — requests (STAT/LIST/SEND/RECV...), DATA chunks and FAIL messages.
std::vector<uint8_t> encode_block(uint32_t id, std::string_view bytes);
// `id, value` — DONE(mtime), OKAY, QUIT.
std::vector<uint8_t> encode_word(uint32_t id, uint32_t value);
std::vector<uint8_t> encode_stat_v1(const FileStat& st);
std::vector<uint8_t> encode_stat_v2(uint32_t id, const FileStat& st);
std::vector<uint8_t> encode_dent_v1(const DirEntry& e);
std::vector<uint8_t> encode_dent_v2(const DirEntry& e);

// Decoders take exactly the fixed-size part (v1: 16 bytes, v2: 72 bytes incl. id).
FileStat decode_stat_v1(std::span<const uint8_t> rec);
FileStat decode_stat_v2(std::span<const uint8_t> rec);

// "path,mode" of a v1 SEND: split at the last comma; nullopt when malformed.
struct SendTarget {
  std::string path;
  uint32_t mode;
};
std::optional<SendTarget> parse_send_target(std::string_view spec);

}  // namespace cp::adb::sync
