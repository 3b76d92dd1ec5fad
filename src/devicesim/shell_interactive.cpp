// The simulated device's sh reading from a terminal (interactive: prompt, echo, line editing)
// or from a plain stream of command lines.
#include "devicesim/props.h"
#include "devicesim/shell_interpreter.h"

namespace cp::devicesim {

int ShellInterpreter::interactive(ShellIo& io) {
  ShellSession session = new_shell_session();
  // A PTY's output processing turns "\n" into "\r\n".
  auto onlcr = [](const std::function<bool(std::string_view)>& sink) {
    return [sink](std::string_view text) {
      std::string converted;
      converted.reserve(text.size() + 16);
      for (char c : text) {
        if (c == '\n') {
          converted += '\r';
        }
        converted += c;
      }
      return sink(converted);
    };
  };
  ShellIo tty{io.in, onlcr(io.out), onlcr(io.err), io.cancelled};
  const std::string host = device_.props.get_or("ro.product.device", "localhost");
  auto prompt = [&] { return io.out(host + ":" + session.cwd + " $ "); };

  std::string line;
  bool previous_cr = false;
  int escape_state = 0;  // 0 none, 1 after ESC, 2 inside "ESC [" (cursor keys are ignored)
  if (!prompt()) {
    return 0;
  }
  uint8_t buf[4096];
  while (!io.cancelled.load()) {
    const size_t n = io.in.read(buf);
    if (n == 0) {
      break;
    }
    for (size_t i = 0; i < n; ++i) {
      const char c = static_cast<char>(buf[i]);
      const bool was_cr = previous_cr;
      previous_cr = c == '\r';
      if (escape_state == 1) {
        escape_state = c == '[' ? 2 : 0;
        continue;
      }
      if (escape_state == 2) {
        escape_state = (c >= 0x40 && c <= 0x7e) ? 0 : 2;
        continue;
      }
      if (c == '\n' && was_cr) {
        continue;  // CR LF counts once
      }
      if (c == '\r' || c == '\n') {
        io.out("\r\n");
        run_in(session, line, tty);
        line.clear();
        if (session.exit_code) {
          return *session.exit_code;
        }
        prompt();
      } else if (c == 0x03) {  // ^C
        io.out("^C\r\n");
        line.clear();
        session.last_status = 130;
        prompt();
      } else if (c == 0x04) {  // ^D on an empty line ends the shell
        if (line.empty()) {
          return session.last_status;
        }
      } else if (c == 0x7f || c == 0x08) {
        // Remove one UTF-8 character.
        while (!line.empty() && (static_cast<uint8_t>(line.back()) & 0xc0) == 0x80) {
          line.pop_back();
        }
        if (!line.empty()) {
          line.pop_back();
          io.out("\b \b");
        }
      } else if (c == 0x1b) {
        escape_state = 1;
      } else if (static_cast<uint8_t>(c) >= 0x20 || c == '\t') {
        line += c;
        io.out(std::string_view(&c, 1));
      }
    }
  }
  return session.last_status;
}

int ShellInterpreter::run_stdin(ShellIo& io) {
  ShellSession session = new_shell_session();
  std::string line;
  // One byte at a time, as sh does on a pipe: a command that reads stdin (cat) must see what
  // follows its own line, so nothing may be read ahead.
  uint8_t c = 0;
  while (!io.cancelled.load()) {
    const size_t n = io.in.read(std::span(&c, 1));
    if (n == 0 || c == '\n') {
      if (!line.empty()) {
        run_in(session, line, io);
      }
      line.clear();
      if (n == 0 || session.exit_code) {
        break;
      }
    } else {
      line += static_cast<char>(c);
    }
  }
  return session.exit_code.value_or(session.last_status);
}

}  // namespace cp::devicesim
