#include "android/adb/sync_client.h"

#include <chrono>
#include <fstream>

#include "android/adb/byte_order.h"

namespace cp::adb {

SyncClient::SyncClient(std::shared_ptr<AdbStream> stream, bool stat_v2, bool ls_v2,
                       Millis io_timeout)
    : stream_(std::move(stream)), stat_v2_(stat_v2), ls_v2_(ls_v2), io_timeout_(io_timeout) {}

SyncClient::~SyncClient() {
  try {
    quit();
  } catch (const AdbError&) {
    // The device may be gone; the stream is closed either way.
  }
  stream_->close(Millis(0));
}

void SyncClient::quit() {
  if (quit_) return;
  quit_ = true;
  write(sync::encode_word(sync::kQuit, 0));
}

void SyncClient::write(const std::vector<uint8_t>& bytes) {
  stream_->write(bytes, io_timeout_);
}

void SyncClient::read_exact(void* dst, size_t n) {
  stream_->read_exact(std::span(static_cast<uint8_t*>(dst), n), io_timeout_);
}

uint32_t SyncClient::read_u32() {
  uint8_t b[4];
  read_exact(b, 4);
  return get_le32(b);
}

void SyncClient::send_request(uint32_t id, std::string_view path) {
  if (path.size() > sync::kMaxPathLength)
    throw AdbError("sync: path too long: " + std::string(path));
  write(sync::encode_block(id, path));
}

sync::FileStat SyncClient::stat(const std::string& remote) {
  if (stat_v2_) {
    send_request(sync::kSta2, remote);
    uint8_t rec[sync::kStatV2Size];
    read_exact(rec, sizeof(rec));
    if (get_le32(rec) != sync::kSta2) throw AdbError("sync: unexpected reply to STA2");
    return sync::decode_stat_v2(rec);
  }
  send_request(sync::kStat, remote);
  uint8_t rec[sync::kStatV1Size];
  read_exact(rec, sizeof(rec));
  if (get_le32(rec) != sync::kStat) throw AdbError("sync: unexpected reply to STAT");
  auto st = sync::decode_stat_v1(rec);
  if (st.mode == 0) st.error = 2;  // v1 reports a missing file as all zeroes
  return st;
}

std::vector<sync::DirEntry> SyncClient::list(const std::string& remote) {
  send_request(ls_v2_ ? sync::kLis2 : sync::kList, remote);
  std::vector<sync::DirEntry> entries;
  for (;;) {
    if (ls_v2_) {
      uint8_t rec[sync::kDentV2Size];
      read_exact(rec, sizeof(rec));
      uint32_t id = get_le32(rec);
      if (id == sync::kDone) return entries;
      if (id != sync::kDnt2) throw AdbError("sync: unexpected record in LIS2 reply");
      sync::DirEntry e{std::string(get_le32(rec + 72), '\0'), sync::decode_stat_v2(rec)};
      read_exact(e.name.data(), e.name.size());
      entries.push_back(std::move(e));
    } else {
      uint8_t rec[sync::kDentV1Size];
      read_exact(rec, sizeof(rec));
      uint32_t id = get_le32(rec);
      if (id == sync::kDone) return entries;
      if (id != sync::kDent) throw AdbError("sync: unexpected record in LIST reply");
      sync::DirEntry e;
      e.stat.mode = get_le32(rec + 4);
      e.stat.size = get_le32(rec + 8);
      e.stat.mtime = get_le32(rec + 12);
      e.name.resize(get_le32(rec + 16));
      read_exact(e.name.data(), e.name.size());
      entries.push_back(std::move(e));
    }
  }
}

void SyncClient::check_status(const std::string& what) {
  uint32_t id = read_u32();
  uint32_t len = read_u32();
  if (id == sync::kOkay) return;
  if (id != sync::kFail || len > 64 * 1024) throw AdbError("sync: bad status after " + what);
  std::string msg(len, '\0');
  read_exact(msg.data(), len);
  throw AdbError("sync: " + what + " failed: " + msg);
}

void SyncClient::push(const std::filesystem::path& local, const std::string& remote,
                      uint32_t mode) {
  std::ifstream in(local, std::ios::binary);
  if (!in) throw AdbError("sync: cannot open " + local.string());
  auto mtime = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::file_clock::to_sys(std::filesystem::last_write_time(local))
                       .time_since_epoch())
                   .count();
  send_request(sync::kSend, remote + "," + std::to_string(mode));
  std::string chunk(sync::kSendChunk, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    auto n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    write(sync::encode_block(sync::kData, std::string_view(chunk.data(), n)));
  }
  write(sync::encode_word(sync::kDone, static_cast<uint32_t>(mtime)));
  check_status("push to " + remote);
}

void SyncClient::push_bytes(std::string_view data, const std::string& remote, uint32_t mode,
                            int64_t mtime) {
  send_request(sync::kSend, remote + "," + std::to_string(mode));
  for (size_t off = 0; off < data.size(); off += sync::kSendChunk) {
    write(sync::encode_block(sync::kData, data.substr(off, sync::kSendChunk)));
  }
  write(sync::encode_word(sync::kDone, static_cast<uint32_t>(mtime)));
  check_status("push to " + remote);
}

template <typename Sink>
void SyncClient::receive(const std::string& remote, Sink&& sink) {
  send_request(sync::kRecv, remote);
  std::string chunk;
  for (;;) {
    uint32_t id = read_u32();
    uint32_t len = read_u32();
    if (id == sync::kDone) return;
    if (id == sync::kFail) {
      std::string msg(std::min<uint32_t>(len, 64 * 1024), '\0');
      read_exact(msg.data(), msg.size());
      throw AdbError("sync: pull of " + remote + " failed: " + msg);
    }
    if (id != sync::kData || len > sync::kMaxDataChunk) {
      throw AdbError("sync: bad record while pulling " + remote);
    }
    chunk.resize(len);
    read_exact(chunk.data(), len);
    sink(chunk);
  }
}

void SyncClient::pull(const std::string& remote, const std::filesystem::path& local) {
  std::ofstream out(local, std::ios::binary | std::ios::trunc);
  if (!out) throw AdbError("sync: cannot write " + local.string());
  receive(remote, [&](const std::string& chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  });
  out.close();
  if (!out) throw AdbError("sync: error writing " + local.string());
}

std::string SyncClient::pull_bytes(const std::string& remote) {
  std::string data;
  receive(remote, [&](const std::string& chunk) { data += chunk; });
  return data;
}

}  // namespace cp::adb
