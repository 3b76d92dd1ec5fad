#pragma once
// Device paths (/sdcard/x) to host paths below the device's fs_root. The device tree is the
// simulator's whole world: nothing may reach outside it, neither by `..` nor by a symlink pushed
// into the tree.
#include <filesystem>
#include <optional>
#include <string>

namespace cp::devicesim {

// Joins `path` to `cwd` and removes `.`, `..` and repeated slashes. nullopt when `..` would go
// above `/` (POSIX would stay at `/`; the simulator refuses so escapes are visible).
std::optional<std::string> normalize_device_path(const std::string& cwd, const std::string& path);

// Host path for a normalised device path; nullopt when symlinks lead outside `root`.
std::optional<std::filesystem::path> host_path_for(const std::filesystem::path& root,
                                                   const std::string& device_path);

// Creates /sdcard, /data/local/tmp, /system, ... below root on first start.
void create_standard_device_dirs(const std::filesystem::path& root);

}  // namespace cp::devicesim
