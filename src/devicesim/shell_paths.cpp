#include "devicesim/shell_paths.h"

#include <vector>

namespace cp::devicesim {
namespace fs = std::filesystem;

std::optional<std::string> normalize_device_path(const std::string& cwd, const std::string& path) {
  const std::string joined = !path.empty() && path[0] == '/' ? path : cwd + "/" + path;
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) {
      end = joined.size();
    }
    const std::string segment = joined.substr(start, end - start);
    if (segment == "..") {
      if (segments.empty()) {
        return std::nullopt;
      }
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) {
    out += "/" + s;
  }
  return out.empty() ? "/" : out;
}

std::optional<fs::path> host_path_for(const fs::path& root, const std::string& device_path) {
  std::error_code ec;
  const fs::path real_root = fs::weakly_canonical(root, ec);
  if (ec) {
    return std::nullopt;
  }
  const fs::path host = root / device_path.substr(1);
  // weakly_canonical follows every symlink that exists, so a link to /etc shows up here.
  const fs::path real = fs::weakly_canonical(host, ec);
  if (ec) {
    return std::nullopt;
  }
  auto r = real_root.begin();
  auto h = real.begin();
  for (; r != real_root.end() && !r->empty(); ++r, ++h) {
    if (h == real.end() || *h != *r) {
      return std::nullopt;
    }
  }
  return host;
}

void create_standard_device_dirs(const fs::path& root) {
  static const char* const kDirs[] = {
      "sdcard",     "sdcard/Download", "sdcard/DCIM", "data/local/tmp",   "data/app", "system/bin",
      "system/app", "system/priv-app", "vendor",      "storage/emulated", "proc",     "dev",
      "etc",
  };
  for (const char* dir : kDirs) {
    fs::create_directories(root / dir);
  }
}

}  // namespace cp::devicesim
