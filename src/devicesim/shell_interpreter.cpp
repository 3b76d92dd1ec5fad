#include "devicesim/shell_interpreter.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "devicesim/memory_pipe.h"
#include "devicesim/props.h"
#include "devicesim/shell_paths.h"

namespace cp::devicesim {
namespace fs = std::filesystem;

namespace {

constexpr size_t kPipeBufferLimit = 64 << 20;  // one stage's output, kept in memory
constexpr size_t kInputFileLimit = 256 << 20;  // `< file` is read into memory

}  // namespace

ShellSession new_shell_session() {
  ShellSession s;
  s.variables = {
      {"PATH", "/product/bin:/apex/com.android.runtime/bin:/system/bin:/system/xbin:/vendor/bin"},
      {"HOME", "/"},
      {"SHELL", "/system/bin/sh"},
      {"USER", "shell"},
      {"HOSTNAME", "localhost"},
      {"ANDROID_ROOT", "/system"},
      {"ANDROID_DATA", "/data"},
      {"EXTERNAL_STORAGE", "/sdcard"},
      {"TMPDIR", "/data/local/tmp"},
  };
  return s;
}

namespace {

// Commands are also reachable by their full path, as on Android (/system/bin/ls).
std::string command_name(const std::string& word) {
  for (std::string_view dir : {"/system/bin/", "/system/xbin/", "/bin/", "/vendor/bin/"}) {
    if (word.starts_with(dir) && word.find('/', dir.size()) == std::string::npos) {
      return word.substr(dir.size());
    }
  }
  return word;
}

}  // namespace

std::optional<DeviceFile> ShellCommandContext::resolve(std::string_view cmd,
                                                       const std::string& path) {
  auto device_path = normalize_device_path(session.cwd, path);
  std::optional<fs::path> host;
  if (device_path) {
    host = host_path_for(device.fs_root, *device_path);
  }
  if (!host) {
    err(std::string(cmd) + ": " + path + ": Permission denied\n");
    return std::nullopt;
  }
  return DeviceFile{*device_path, *host};
}

std::optional<std::string> ShellCommandContext::read_stdin(size_t limit) {
  std::string data;
  uint8_t buf[64 * 1024];
  while (true) {
    const size_t n = io.in.read(buf);
    if (n == 0) {
      return data;
    }
    if (data.size() + n > limit) {
      return std::nullopt;
    }
    data.append(reinterpret_cast<const char*>(buf), n);
  }
}

ShellInterpreter::ShellInterpreter(ShellDevice device)
    : device_(std::move(device)), settings_(device_.config) {
  create_standard_device_dirs(device_.fs_root);
  register_all_commands(commands_);
}

int ShellInterpreter::run(const std::string& command_line, ShellIo& io) {
  ShellSession session = new_shell_session();
  return run_in(session, command_line, io);
}

int ShellInterpreter::run_in(ShellSession& session, const std::string& command_line, ShellIo& io) {
  Script script;
  try {
    script = parse_shell(command_line);
  } catch (const ShellSyntaxError& e) {
    io.err(std::string("/system/bin/sh: ") + e.what() + "\n");
    session.last_status = 1;
    return 1;
  }
  for (const auto& [connector, pipeline] : script.items) {
    if (session.exit_code || io.cancelled.load()) {
      break;
    }
    if ((connector == Connector::kIfSuccess && session.last_status != 0) ||
        (connector == Connector::kIfFailure && session.last_status == 0)) {
      continue;
    }
    session.last_status = run_pipeline(pipeline, session, io);
  }
  return session.exit_code.value_or(session.last_status);
}

int ShellInterpreter::run_pipeline(const Pipeline& pipeline, ShellSession& session, ShellIo& io) {
  if (pipeline.commands.size() == 1) {
    return run_command(pipeline.commands.front(), session, io);
  }
  // Stages run one after the other; each one's stdout becomes the next one's stdin. Enough for
  // `pm list packages | grep foo`, not for endless producers such as `logcat | grep`.
  std::string carried;
  int status = 0;
  for (size_t i = 0; i < pipeline.commands.size(); ++i) {
    const bool last = i + 1 == pipeline.commands.size();
    std::shared_ptr<MemoryPipe> stage_in;
    if (i > 0) {
      stage_in = MemoryPipe::from_bytes(carried);
    }
    std::string produced;
    bool overflow = false;
    ShellIo stage{i == 0 ? io.in : *stage_in,
                  last ? io.out : std::function<bool(std::string_view)>([&](std::string_view text) {
                    if (produced.size() + text.size() > kPipeBufferLimit) {
                      overflow = true;
                      return false;
                    }
                    produced.append(text);
                    return true;
                  }),
                  io.err, io.cancelled};
    ShellSession stage_session = session;  // each stage is a subshell
    status = run_command(pipeline.commands[i], stage_session, stage);
    if (overflow) {
      io.err("/system/bin/sh: pipe output over 64 MiB is not supported by the simulator\n");
    }
    carried = std::move(produced);
  }
  return status;
}

std::string ShellInterpreter::expand(const Word& word, const ShellSession& session) const {
  std::string out;
  for (const WordPart& part : word.parts) {
    if (!part.is_variable) {
      out += part.text;
    } else if (part.text == "?") {
      out += std::to_string(session.last_status);
    } else if (part.text == "$") {
      out += "1000";  // the shell's pid, fixed in the simulator
    } else if (part.text == "#") {
      out += "0";
    } else if (part.text == "0") {
      out += "/system/bin/sh";
    } else if (auto it = session.variables.find(part.text); it != session.variables.end()) {
      out += it->second;
    }
  }
  return out;
}

int ShellInterpreter::run_command(const SimpleCommand& command, ShellSession& session,
                                  ShellIo& io) {
  std::vector<std::pair<std::string, std::string>> assignments;
  for (const auto& [name, value] : command.assignments) {
    assignments.emplace_back(name, expand(value, session));
  }
  std::vector<std::string> argv;
  for (const Word& word : command.words) {
    argv.push_back(expand(word, session));
  }

  // Redirections, applied left to right on the current sinks (so `>f 2>&1` sends both to f).
  std::function<bool(std::string_view)> out = io.out;
  std::function<bool(std::string_view)> err = io.err;
  std::shared_ptr<MemoryPipe> input;
  ShellCommandContext ctx{io, session, device_, *this};
  for (const Redirect& r : command.redirects) {
    if (r.kind == Redirect::Kind::kDuplicate) {
      if (r.fd == 2 && r.target_fd == 1) {
        err = out;
      } else if (r.fd == 1 && r.target_fd == 2) {
        out = err;
      }
      continue;
    }
    const std::string target = expand(r.target, session);
    if (r.fd > 2) {
      io.err("/system/bin/sh: redirecting fd " + std::to_string(r.fd) +
             " is not supported by the simulator\n");
      return 1;
    }
    if (target == "/dev/null") {
      if (r.kind == Redirect::Kind::kInput) {
        input = MemoryPipe::from_bytes("");
      } else {
        (r.fd == 2 ? err : out) = [](std::string_view) { return true; };
      }
      continue;
    }
    auto file = ctx.resolve("/system/bin/sh", target);
    if (!file) {
      return 1;
    }
    std::error_code ec;
    if (r.kind == Redirect::Kind::kInput) {
      std::ifstream in(file->host_path, std::ios::binary);
      if (!in || fs::is_directory(file->host_path, ec) ||
          fs::file_size(file->host_path, ec) > kInputFileLimit) {
        io.err("/system/bin/sh: cannot open " + target + ": No such file or directory\n");
        return 1;
      }
      std::stringstream text;
      text << in.rdbuf();
      input = MemoryPipe::from_bytes(text.str());
      continue;
    }
    if (fs::is_directory(file->host_path, ec)) {
      io.err("/system/bin/sh: cannot create " + target + ": Is a directory\n");
      return 1;
    }
    auto stream = std::make_shared<std::ofstream>(
        file->host_path,
        std::ios::binary | (r.kind == Redirect::Kind::kAppend ? std::ios::app : std::ios::trunc));
    if (!*stream) {
      io.err("/system/bin/sh: cannot create " + target + ": No such file or directory\n");
      return 1;
    }
    (r.fd == 2 ? err : out) = [stream](std::string_view text) {
      stream->write(text.data(), static_cast<std::streamsize>(text.size()));
      return static_cast<bool>(*stream);
    };
  }

  if (argv.empty()) {
    for (auto& [name, value] : assignments) {
      session.variables[name] = value;
    }
    return 0;
  }
  // NAME=value before a command holds for that command only.
  std::map<std::string, std::optional<std::string>> saved;
  for (auto& [name, value] : assignments) {
    auto it = session.variables.find(name);
    saved[name] =
        it == session.variables.end() ? std::nullopt : std::optional<std::string>(it->second);
    session.variables[name] = value;
  }
  ShellIo redirected{input ? *input : io.in, out, err, io.cancelled};
  const int status = run_words(argv, session, redirected);
  for (auto& [name, value] : saved) {
    if (value) {
      session.variables[name] = *value;
    } else {
      session.variables.erase(name);
    }
  }
  return status;
}

int ShellInterpreter::run_words(const std::vector<std::string>& argv, ShellSession& session,
                                ShellIo& io) {
  const std::string name = command_name(argv[0]);
  // Builtins: they change the session itself.
  if (name == "exit") {
    int code = session.last_status;
    if (argv.size() > 1) {
      auto n = parse_int(argv[1]);
      if (!n) {
        io.err("/system/bin/sh: exit: " + argv[1] + ": bad number\n");
        code = 1;
      } else {
        code = static_cast<int>(*n & 0xff);
      }
    }
    session.exit_code = code;
    return code;
  }
  if (name == "cd") {
    ShellCommandContext ctx{io, session, device_, *this};
    const std::string target = argv.size() > 1 ? argv[1] : "/";
    auto dir = ctx.resolve("/system/bin/sh: cd", target);
    if (!dir) {
      return 1;
    }
    std::error_code ec;
    if (!fs::is_directory(dir->host_path, ec)) {
      io.err("/system/bin/sh: cd: " + target + ": No such file or directory\n");
      return 2;
    }
    session.cwd = dir->device_path;
    return 0;
  }
  if (name == "export") {
    for (size_t i = 1; i < argv.size(); ++i) {
      const size_t eq = argv[i].find('=');
      if (eq != std::string::npos) {
        session.variables[argv[i].substr(0, eq)] = argv[i].substr(eq + 1);
      }
    }
    return 0;
  }
  if (name == "unset") {
    for (size_t i = 1; i < argv.size(); ++i) {
      session.variables.erase(argv[i]);
    }
    return 0;
  }
  const ShellCommand* command = commands_.find(name);
  if (command == nullptr) {
    io.err("/system/bin/sh: " + argv[0] + ": not found\n");
    return 127;
  }
  ShellCommandContext ctx{io, session, device_, *this};
  try {
    return (*command)(ctx, argv);
  } catch (const std::exception& e) {
    // A bug or an environment failure in the simulator, reported instead of killing the stream.
    io.err(name + ": " + e.what() + "\n");
    return 1;
  }
}

}  // namespace cp::devicesim
