// Small commands of the simulated device's shell: echo, sleep, id, whoami, uname, true, false.
#include <sys/utsname.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "devicesim/shell_commands.h"

namespace cp::devicesim {

std::optional<long long> parse_int(const std::string& text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

namespace {

// toybox echo: -n (no newline), -e (backslash escapes), -E.
int cmd_echo(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  bool newline = true;
  bool escapes = false;
  size_t i = 1;
  for (; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() < 2 || a[0] != '-' || a.find_first_not_of("neE", 1) != std::string::npos) {
      break;
    }
    for (char c : a.substr(1)) {
      newline = newline && c != 'n';
      escapes = c == 'e' ? true : c == 'E' ? false : escapes;
    }
  }
  std::string text;
  for (size_t j = i; j < argv.size(); ++j) {
    text += (j > i ? " " : "") + argv[j];
  }
  if (escapes) {
    std::string unescaped;
    for (size_t k = 0; k < text.size(); ++k) {
      if (text[k] != '\\' || k + 1 == text.size()) {
        unescaped += text[k];
        continue;
      }
      switch (text[++k]) {
        case 'n':
          unescaped += '\n';
          break;
        case 't':
          unescaped += '\t';
          break;
        case 'r':
          unescaped += '\r';
          break;
        case '\\':
          unescaped += '\\';
          break;
        case 'c':
          ctx.out(unescaped);
          return 0;  // \c: stop output here
        default:
          unescaped += '\\';
          unescaped += text[k];
      }
    }
    text = std::move(unescaped);
  }
  ctx.out(newline ? text + "\n" : text);
  return 0;
}

int cmd_sleep(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  if (argv.size() < 2) {
    ctx.err("sleep: Needs 1 argument (see \"sleep --help\")\n");
    return 1;
  }
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(argv[1].data(), argv[1].data() + argv[1].size(), seconds);
  if (ec != std::errc() || ptr != argv[1].data() + argv[1].size() || seconds < 0) {
    ctx.err("sleep: invalid time interval '" + argv[1] + "'\n");
    return 1;
  }
  // Sleep in slices so a closed ADB stream ends the command promptly.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  while (std::chrono::steady_clock::now() < deadline) {
    if (ctx.io.cancelled.load()) {
      return 130;
    }
    const auto left = deadline - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
  }
  return 0;
}

int cmd_id(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  if (argv.size() > 1 && (argv[1] == "-u" || argv[1] == "-un" || argv[1] == "-nu")) {
    ctx.out(argv[1] == "-u" ? "2000\n" : "shell\n");
    return 0;
  }
  ctx.out(
      "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),"
      "1015(sdcard_rw),1028(sdcard_r),1078(ext_data_rw),1079(ext_obb_rw),3001(net_bt_admin),"
      "3002(net_bt),3003(inet),3006(net_bw_stats),3009(readproc),3011(uhid),3012(readtracefs) "
      "context=u:r:shell:s0\n");
  return 0;
}

// The kernel is the host's: the simulator runs no kernel of its own.
int cmd_uname(ShellCommandContext& ctx, const std::vector<std::string>& argv) {
  struct utsname u {};
  uname(&u);
  std::string flags;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i].size() < 2 || argv[i][0] != '-') {
      ctx.err("uname: Unknown argument '" + argv[i] + "'\n");
      return 1;
    }
    flags += argv[i].substr(1);
  }
  if (flags.find('a') != std::string::npos) {
    flags = "snrvm";
  }
  if (flags.empty()) {
    flags = "s";
  }
  std::vector<std::string> fields;
  for (char c : flags) {
    switch (c) {
      case 's':
        fields.emplace_back("Linux");
        break;
      case 'n':
        fields.emplace_back("localhost");
        break;
      case 'r':
        fields.emplace_back(u.release);
        break;
      case 'v':
        fields.emplace_back(u.version);
        break;
      case 'm':
      case 'p':
        fields.emplace_back(u.machine);
        break;
      case 'o':
        fields.emplace_back("Toybox");
        break;
      default:
        ctx.err(std::string("uname: Unknown option '") + c + "'\n");
        return 1;
    }
  }
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    line += (i ? " " : "") + fields[i];
  }
  ctx.out(line + "\n");
  return 0;
}

}  // namespace

void register_basic_commands(ShellCommands& commands) {
  commands.add("echo", cmd_echo);
  commands.add("sleep", cmd_sleep);
  commands.add("id", cmd_id);
  commands.add("uname", cmd_uname);
  commands.add("whoami", [](ShellCommandContext& ctx, const std::vector<std::string>&) {
    ctx.out("shell\n");
    return 0;
  });
  commands.add("true", [](ShellCommandContext&, const std::vector<std::string>&) { return 0; });
  commands.add("false", [](ShellCommandContext&, const std::vector<std::string>&) { return 1; });
}

}  // namespace cp::devicesim
