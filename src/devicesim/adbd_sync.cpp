// The device side of `sync:` (protocols.md §3): STAT/STA2/LST2, LIST/LIS2, SEND, RECV, QUIT,
// on files below SimulatedDevice::fs_root().
#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "android/adb/byte_order.h"
#include "android/adb/sync_protocol.h"
#include "devicesim/adbd_services.h"
#include "devicesim/shell_paths.h"

namespace cp::devicesim {
namespace {

namespace sync = cp::adb::sync;
using cp::adb::get_le32;

sync::FileStat to_file_stat(const struct stat& st) {
  sync::FileStat fs;
  fs.dev = st.st_dev;
  fs.ino = st.st_ino;
  fs.mode = st.st_mode;
  fs.nlink = static_cast<uint32_t>(st.st_nlink);
  fs.uid = st.st_uid;
  fs.gid = st.st_gid;
  fs.size = static_cast<uint64_t>(st.st_size);
  fs.atime = st.st_atim.tv_sec;
  fs.mtime = st.st_mtim.tv_sec;
  fs.ctime = st.st_ctim.tv_sec;
  return fs;
}

class SyncSession {
 public:
  SyncSession(SimulatedDevice& device, ByteStream& stream) : device_(device), stream_(stream) {}

  void run() {
    for (;;) {
      uint8_t header[8];
      if (!read_exact(header, sizeof(header))) return;
      uint32_t id = get_le32(header), len = get_le32(header + 4);
      if (id == sync::kQuit) return;
      if (len > sync::kMaxPathLength) {
        fail("path too long");
        return;
      }
      std::string path(len, '\0');
      if (!read_exact(path.data(), len)) return;
      bool ok = true;
      switch (id) {
        case sync::kStat:
          ok = do_stat_v1(path);
          break;
        case sync::kSta2:
        case sync::kLst2:
          ok = do_stat_v2(id, path);
          break;
        case sync::kList:
        case sync::kLis2:
          ok = do_list(id == sync::kLis2, path);
          break;
        case sync::kSend:
          ok = do_send(path);
          break;
        case sync::kRecv:
          ok = do_recv(path);
          break;
        default:
          char msg[64];
          std::snprintf(msg, sizeof(msg), "unknown command %08x", id);
          fail(msg);
          return;
      }
      if (!ok) return;
    }
  }

 private:
  bool read_exact(void* dst, size_t n) {
    auto* p = static_cast<uint8_t*>(dst);
    while (n > 0) {
      size_t got = stream_.read(std::span(p, n));
      if (got == 0) return false;
      p += got;
      n -= got;
    }
    return true;
  }
  bool send(const std::vector<uint8_t>& bytes) { return stream_.write(bytes); }
  void fail(const std::string& message) { send(sync::encode_block(sync::kFail, message)); }

  // Host path for a device path; nullopt when it would leave the device tree.
  std::optional<std::filesystem::path> resolve(const std::string& device_path) {
    auto normal = normalize_device_path("/", device_path);
    if (!normal) return std::nullopt;
    return host_path_for(device_.fs_root(), *normal);
  }

  int stat_path(const std::string& path, bool follow, struct stat& st) {
    auto host = resolve(path);
    if (!host) return EACCES;
    int rc = follow ? ::stat(host->c_str(), &st) : ::lstat(host->c_str(), &st);
    return rc == 0 ? 0 : errno;
  }

  bool do_stat_v1(const std::string& path) {
    struct stat st {};
    sync::FileStat fs;  // missing file: all zeroes, as adbd reports it
    if (stat_path(path, false, st) == 0) fs = to_file_stat(st);
    return send(sync::encode_stat_v1(fs));
  }

  bool do_stat_v2(uint32_t id, const std::string& path) {
    struct stat st {};
    sync::FileStat fs;
    if (int err = stat_path(path, id == sync::kSta2, st); err != 0) {
      fs.error = static_cast<uint32_t>(err);
    } else {
      fs = to_file_stat(st);
    }
    return send(sync::encode_stat_v2(id, fs));
  }

  bool do_list(bool v2, const std::string& path) {
    auto host = resolve(path);
    if (host) {
      if (DIR* dir = ::opendir(host->c_str())) {
        while (dirent* de = ::readdir(dir)) {
          struct stat st {};
          if (::fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
          sync::DirEntry entry{de->d_name, to_file_stat(st)};
          if (!send(v2 ? sync::encode_dent_v2(entry) : sync::encode_dent_v1(entry))) {
            ::closedir(dir);
            return false;
          }
        }
        ::closedir(dir);
      }
    }
    // The terminator is a full-size dent record with id DONE and zeroes elsewhere.
    std::vector<uint8_t> done(v2 ? sync::kDentV2Size : sync::kDentV1Size, 0);
    std::memcpy(done.data(), &sync::kDone, 4);
    return send(done);
  }

  // Reads DATA records until DONE. `sink` gets each chunk; returns DONE's value (mtime) or
  // nullopt when the stream broke or sent garbage.
  template <typename Sink>
  std::optional<uint32_t> receive_file(Sink&& sink) {
    std::string chunk;
    for (;;) {
      uint8_t header[8];
      if (!read_exact(header, sizeof(header))) return std::nullopt;
      uint32_t id = get_le32(header), len = get_le32(header + 4);
      if (id == sync::kDone) return len;
      if (id != sync::kData || len > sync::kMaxDataChunk) return std::nullopt;
      chunk.resize(len);
      if (!read_exact(chunk.data(), len)) return std::nullopt;
      sink(chunk);
    }
  }

  bool do_send(const std::string& spec) {
    auto target = sync::parse_send_target(spec);
    auto host = target ? resolve(target->path) : std::nullopt;
    std::string error;
    if (!target)
      error = "bad SEND request";
    else if (!host)
      error = "permission denied: " + target->path;
    else if (S_ISLNK(target->mode))
      error = "symlinks are not supported by the simulated device";
    std::filesystem::path temp;
    std::ofstream out;
    if (error.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(host->parent_path(), ec);
      temp = host->string() + ".adbd-partial";
      out.open(temp, std::ios::binary | std::ios::trunc);
      if (ec || !out) error = "cannot create " + target->path + ": " + std::strerror(errno);
    }
    // On error keep reading until DONE (the host streams the whole file before it listens).
    auto mtime = receive_file([&](const std::string& chunk) {
      if (out) out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    });
    if (out.is_open()) out.close();
    if (!mtime) {
      std::filesystem::remove(temp);
      return false;
    }
    if (error.empty() && !out) error = "write failed: " + target->path;
    if (error.empty()) {
      std::error_code ec;
      std::filesystem::rename(temp, *host, ec);
      if (ec) error = "cannot write " + target->path + ": " + ec.message();
    }
    if (!error.empty()) {
      if (!temp.empty()) std::filesystem::remove(temp);
      return send(sync::encode_block(sync::kFail, error));
    }
    ::chmod(host->c_str(), target->mode & 0777);
    timespec times[2] = {{static_cast<time_t>(*mtime), 0}, {static_cast<time_t>(*mtime), 0}};
    ::utimensat(AT_FDCWD, host->c_str(), times, 0);
    return send(sync::encode_word(sync::kOkay, 0));
  }

  bool do_recv(const std::string& path) {
    auto host = resolve(path);
    std::ifstream in;
    if (host) in.open(*host, std::ios::binary);
    if (!host || !in || std::filesystem::is_directory(*host)) {
      return send(sync::encode_block(
          sync::kFail, "open failed: " + std::string(std::strerror(host ? errno : EACCES))));
    }
    std::string chunk(sync::kSendChunk, '\0');
    while (in) {
      in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      auto n = static_cast<size_t>(in.gcount());
      if (n == 0) break;
      if (!send(sync::encode_block(sync::kData, std::string_view(chunk.data(), n)))) return false;
    }
    return send(sync::encode_word(sync::kDone, 0));
  }

  SimulatedDevice& device_;
  ByteStream& stream_;
};

}  // namespace

void serve_sync(SimulatedDevice& device, ByteStream& stream) {
  SyncSession(device, stream).run();
}

}  // namespace cp::devicesim
