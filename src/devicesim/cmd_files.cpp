// File commands of the simulated device's shell, toybox-style output: ls, cat, rm, mkdir, touch,
// pwd, chmod. Every path goes through ShellCommandContext::resolve, so nothing leaves the tree.
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "devicesim/shell_commands.h"

namespace cp::devicesim {
namespace fs = std::filesystem;
namespace {

// Splits "-la" style flags from operands; false (after printing) on an unknown flag.
bool parse_flags(ShellCommandContext& ctx, const std::string& cmd,
                 const std::vector<std::string>& argv, std::string_view allowed, std::string& flags,
                 std::vector<std::string>& operands) {
  bool options_done = false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      operands.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    for (char c : a.substr(1)) {
      if (allowed.find(c) == std::string_view::npos) {
        ctx.err(cmd + ": Unknown option '" + std::string(1, c) + "' (see \"" + cmd +
                " --help\")\n");
        return false;
      }
      flags += c;
    }
  }
  return true;
}

bool has(const std::string& flags, char c) {
  return flags.find(c) != std::string::npos;
}

std::string mode_string(mode_t mode) {
  std::string s = S_ISDIR(mode) ? "d" : S_ISLNK(mode) ? "l" : "-";
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) {
    s += (mode & (0400 >> i)) ? rwx[i] : '-';
  }
  return s;
}

// One `ls -l` line, toybox style: "drwxrwx--x 2 shell shell 4096 2024-01-01 12:00 name".
std::string long_line(const fs::path& host, const std::string& name,
                      const std::string& device_path) {
  struct stat st {};
  if (lstat(host.c_str(), &st) != 0) {
    return name + "\n";
  }
  const bool shell_owned =
      device_path.starts_with("/sdcard") || device_path.starts_with("/data/local/tmp");
  const std::string owner = shell_owned ? "shell shell" : "root root";
  std::tm tm{};
  localtime_r(&st.st_mtime, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
  std::string line = mode_string(st.st_mode) + " " + std::to_string(st.st_nlink) + " " + owner +
                     " " + std::to_string(st.st_size) + " " + when + " " + name;
  if (S_ISLNK(st.st_mode)) {
    std::error_code ec;
    line += " -> " + fs::read_symlink(host, ec).string();
  }
  return line + "\n";
}

int cmd_ls(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  std::string flags;
  std::vector<std::string> operands;
  if (!parse_flags(ctx, "ls", argv, "laA1dhR", flags, operands)) {
    return 1;
  }
  if (operands.empty()) {
    operands.push_back(".");
  }
  const bool long_format = has(flags, 'l');
  int status = 0;
  bool first = true;
  for (const std::string& operand : operands) {
    auto file = ctx.resolve("ls", operand);
    std::error_code ec;
    if (!file) {
      status = 1;
      continue;
    }
    const auto st = fs::symlink_status(file->host_path, ec);
    if (ec || !fs::exists(st)) {
      ctx.err("ls: " + operand + ": No such file or directory\n");
      status = 1;
      continue;
    }
    if (!fs::is_directory(file->host_path, ec) || has(flags, 'd')) {
      ctx.out(long_format ? long_line(file->host_path, operand, file->device_path)
                          : operand + "\n");
      continue;
    }
    std::vector<std::string> names;
    if (has(flags, 'a')) {
      names = {".", ".."};
    }
    for (const auto& entry : fs::directory_iterator(file->host_path, ec)) {
      std::string name = entry.path().filename().string();
      if (name[0] != '.' || has(flags, 'a') || has(flags, 'A')) {
        names.push_back(std::move(name));
      }
    }
    std::sort(names.begin(), names.end());
    std::string text;
    if (operands.size() > 1) {
      text += (first ? "" : "\n") + operand + ":\n";
    }
    first = false;
    if (long_format) {
      uintmax_t blocks = 0;
      std::string lines;
      for (const auto& name : names) {
        const fs::path host = name == ".." ? file->host_path : file->host_path / name;
        struct stat st_entry {};
        if (lstat(host.c_str(), &st_entry) == 0) {
          blocks += static_cast<uintmax_t>(st_entry.st_blocks) / 2;
        }
        lines += long_line(host, name, file->device_path);
      }
      text += "total " + std::to_string(blocks) + "\n" + lines;
    } else {
      for (const auto& name : names) {
        text += name + "\n";
      }
    }
    if (!ctx.out(text)) {
      return 1;
    }
  }
  return status;
}

int cmd_cat(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  std::vector<std::string> operands(argv.begin() + 1, argv.end());
  if (operands.empty()) {
    operands.push_back("-");
  }
  int status = 0;
  for (const std::string& operand : operands) {
    if (operand == "-") {
      uint8_t buf[64 * 1024];
      while (size_t n = ctx.io.in.read(buf)) {
        if (!ctx.out(std::string_view(reinterpret_cast<const char*>(buf), n))) {
          return 1;
        }
      }
      continue;
    }
    auto file = ctx.resolve("cat", operand);
    if (!file) {
      status = 1;
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(file->host_path, ec)) {
      ctx.err("cat: " + operand + ": Is a directory\n");
      status = 1;
      continue;
    }
    std::ifstream in(file->host_path, std::ios::binary);
    if (!in) {
      ctx.err("cat: " + operand + ": No such file or directory\n");
      status = 1;
      continue;
    }
    char buf[64 * 1024];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      if (!ctx.out(std::string_view(buf, static_cast<size_t>(in.gcount())))) {
        return 1;
      }
    }
  }
  return status;
}

int cmd_rm(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  std::string flags;
  std::vector<std::string> operands;
  if (!parse_flags(ctx, "rm", argv, "rRfv", flags, operands)) {
    return 1;
  }
  const bool force = has(flags, 'f');
  const bool recursive = has(flags, 'r') || has(flags, 'R');
  int status = 0;
  for (const std::string& operand : operands) {
    auto file = ctx.resolve("rm", operand);
    std::error_code ec;
    if (!file || file->device_path == "/") {
      if (file) {
        ctx.err("rm: " + operand + ": Permission denied\n");
      }
      status = 1;
      continue;
    }
    if (!fs::exists(fs::symlink_status(file->host_path, ec))) {
      if (!force) {
        ctx.err("rm: " + operand + ": No such file or directory\n");
        status = 1;
      }
      continue;
    }
    if (fs::is_directory(fs::symlink_status(file->host_path, ec)) && !recursive) {
      ctx.err("rm: " + operand + ": Is a directory\n");
      status = 1;
      continue;
    }
    fs::remove_all(file->host_path, ec);
    if (ec) {
      ctx.err("rm: " + operand + ": " + ec.message() + "\n");
      status = 1;
    }
  }
  return status;
}

int cmd_mkdir(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  std::string flags;
  std::vector<std::string> operands;
  if (!parse_flags(ctx, "mkdir", argv, "pv", flags, operands)) {
    return 1;
  }
  int status = 0;
  for (const std::string& operand : operands) {
    auto dir = ctx.resolve("mkdir", operand);
    std::error_code ec;
    if (!dir) {
      status = 1;
    } else if (has(flags, 'p')) {
      fs::create_directories(dir->host_path, ec);
      if (ec || !fs::is_directory(dir->host_path, ec)) {
        ctx.err("mkdir: '" + operand + "': File exists\n");
        status = 1;
      }
    } else if (fs::exists(fs::symlink_status(dir->host_path, ec))) {
      ctx.err("mkdir: '" + operand + "': File exists\n");
      status = 1;
    } else if (!fs::create_directory(dir->host_path, ec)) {
      ctx.err("mkdir: '" + operand + "': No such file or directory\n");
      status = 1;
    }
  }
  return status;
}

int cmd_touch(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  int status = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    auto file = ctx.resolve("touch", argv[i]);
    std::error_code ec;
    if (!file) {
      status = 1;
    } else if (fs::exists(file->host_path, ec)) {
      fs::last_write_time(file->host_path, fs::file_time_type::clock::now(), ec);
    } else if (!std::ofstream(file->host_path, std::ios::app)) {
      ctx.err("touch: '" + argv[i] + "': No such file or directory\n");
      status = 1;
    }
  }
  return status;
}

int cmd_chmod(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  if (argv.size() < 3) {
    ctx.err("chmod: Need 2 arguments (see \"chmod --help\")\n");
    return 1;
  }
  unsigned mode = 0;
  for (char c : argv[1]) {
    if (c < '0' || c > '7' || mode > 07777) {
      ctx.err("chmod: the simulator supports octal modes only: " + argv[1] + "\n");
      return 1;
    }
    mode = mode * 8 + static_cast<unsigned>(c - '0');
  }
  int status = 0;
  for (size_t i = 2; i < argv.size(); ++i) {
    auto file = ctx.resolve("chmod", argv[i]);
    std::error_code ec;
    if (file) {
      fs::permissions(file->host_path, static_cast<fs::perms>(mode), ec);
    }
    if (!file || ec) {
      if (file) {
        ctx.err("chmod: " + argv[i] + ": No such file or directory\n");
      }
      status = 1;
    }
  }
  return status;
}

}  // namespace

void register_file_commands(ShellCommands& commands) {
  commands.add("ls", cmd_ls);
  commands.add("cat", cmd_cat);
  commands.add("rm", cmd_rm);
  commands.add("mkdir", cmd_mkdir);
  commands.add("touch", cmd_touch);
  commands.add("chmod", cmd_chmod);
  commands.add("pwd", [](ShellCommandContext& ctx, const std::vector<std::string>&) {
    ctx.out(ctx.session.cwd + "\n");
    return 0;
  });
}

}  // namespace cp::devicesim
