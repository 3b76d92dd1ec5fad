#include "android/scrcpy/server_options.h"

#include <cctype>
#include <charconv>
#include <cstdio>

#include "android/scrcpy/protocol.h"

namespace cp::scrcpy {
namespace {

const char* bool_text(bool v) {
  return v ? "true" : "false";
}

bool parse_bool(const std::string& key, const std::string& value) {
  if (value == "true") {
    return true;
  }
  if (value == "false") {
    return false;
  }
  throw ProtocolError("option " + key + ": expected true/false, got '" + value + "'");
}

int64_t parse_int(const std::string& key, const std::string& value, int base = 10) {
  int64_t out = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out, base);
  if (ec != std::errc() || ptr != end) {
    throw ProtocolError("option " + key + ": expected a number, got '" + value + "'");
  }
  return out;
}

void parse_option(ServerOptions& o, const std::string& key, const std::string& value) {
  if (key == "scid") {
    o.scid = value == "-1" ? -1 : parse_int(key, value, 16);
    if (o.scid < -1 || o.scid > 0x7fffffff) {
      throw ProtocolError("option scid: out of range");
    }
  } else if (key == "log_level") {
    o.log_level = value;
  } else if (key == "video") {
    o.video = parse_bool(key, value);
  } else if (key == "audio") {
    o.audio = parse_bool(key, value);
  } else if (key == "control") {
    o.control = parse_bool(key, value);
  } else if (key == "video_codec") {
    o.video_codec = value;
  } else if (key == "max_size") {
    o.max_size = static_cast<int>(parse_int(key, value));
  } else if (key == "video_bit_rate") {
    o.video_bit_rate = static_cast<int>(parse_int(key, value));
  } else if (key == "max_fps") {
    try {
      o.max_fps = std::stod(value);
    } catch (const std::exception&) {
      throw ProtocolError("option max_fps: expected a number, got '" + value + "'");
    }
  } else if (key == "tunnel_forward") {
    o.tunnel_forward = parse_bool(key, value);
  } else if (key == "clipboard_autosync") {
    o.clipboard_autosync = parse_bool(key, value);
  } else if (key == "cleanup") {
    o.cleanup = parse_bool(key, value);
  } else if (key == "power_on") {
    o.power_on = parse_bool(key, value);
  } else if (key == "send_device_meta") {
    o.send_device_meta = parse_bool(key, value);
  } else if (key == "send_frame_meta") {
    o.send_frame_meta = parse_bool(key, value);
  } else if (key == "send_dummy_byte") {
    o.send_dummy_byte = parse_bool(key, value);
  } else if (key == "send_codec_meta") {
    o.send_codec_meta = parse_bool(key, value);
  } else if (key == "raw_stream") {
    o.raw_stream = parse_bool(key, value);
  } else {
    o.other[key] = value;
  }
}

}  // namespace

std::string socket_name(const ServerOptions& options) {
  if (options.scid < 0) {
    return "scrcpy";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "scrcpy_%08llx", static_cast<unsigned long long>(options.scid));
  return buf;
}

std::vector<std::string> build_server_command(const ServerOptions& o,
                                              const std::string& server_path) {
  const ServerOptions d;  // server defaults: only differences are passed, like scrcpy does
  std::vector<std::string> args{"CLASSPATH=" + server_path, "app_process", "/", kServerClass,
                                o.version};
  if (o.scid >= 0) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(o.scid));
    args.push_back(std::string("scid=") + buf);
  }
  args.push_back("log_level=" + o.log_level);
  auto add_bool = [&](const char* key, bool value, bool def) {
    if (value != def) {
      args.push_back(std::string(key) + "=" + bool_text(value));
    }
  };
  add_bool("video", o.video, d.video);
  add_bool("audio", o.audio, d.audio);
  add_bool("control", o.control, d.control);
  if (o.video_codec != d.video_codec) {
    args.push_back("video_codec=" + o.video_codec);
  }
  if (o.max_size != d.max_size) {
    args.push_back("max_size=" + std::to_string(o.max_size));
  }
  if (o.video_bit_rate != d.video_bit_rate) {
    args.push_back("video_bit_rate=" + std::to_string(o.video_bit_rate));
  }
  if (o.max_fps) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", *o.max_fps);
    args.push_back(std::string("max_fps=") + buf);
  }
  add_bool("tunnel_forward", o.tunnel_forward, d.tunnel_forward);
  add_bool("clipboard_autosync", o.clipboard_autosync, d.clipboard_autosync);
  add_bool("cleanup", o.cleanup, d.cleanup);
  add_bool("power_on", o.power_on, d.power_on);
  if (o.raw_stream) {
    args.push_back("raw_stream=true");
  } else {
    add_bool("send_device_meta", o.send_device_meta, d.send_device_meta);
    add_bool("send_frame_meta", o.send_frame_meta, d.send_frame_meta);
    add_bool("send_dummy_byte", o.send_dummy_byte, d.send_dummy_byte);
    add_bool("send_codec_meta", o.send_codec_meta, d.send_codec_meta);
  }
  for (const auto& [key, value] : o.other) {
    args.push_back(key + "=" + value);
  }
  return args;
}

std::string join_command(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) {
      out += ' ';
    }
    out += a;
  }
  return out;
}

ServerOptions parse_server_args(std::span<const std::string> args) {
  size_t first = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == kServerClass) {
      first = i + 1;
      break;
    }
  }
  ServerOptions o;
  // The version is the first argument after the class (or the first argument at all when the
  // caller already stripped `app_process / <class>`).
  if (first < args.size() && args[first].find('=') == std::string::npos && !args[first].empty() &&
      std::isdigit(static_cast<unsigned char>(args[first][0]))) {
    o.version = args[first++];
  }
  for (size_t i = first; i < args.size(); ++i) {
    const auto eq = args[i].find('=');
    if (eq == std::string::npos || eq == 0 || args[i].starts_with("CLASSPATH=")) {
      continue;  // app_process, "/", or the class path before the class name
    }
    parse_option(o, args[i].substr(0, eq), args[i].substr(eq + 1));
  }
  return o;
}

ServerOptions normalized(ServerOptions o) {
  if (o.raw_stream) {
    o.send_device_meta = o.send_frame_meta = o.send_dummy_byte = o.send_codec_meta = false;
  }
  if (o.max_size < 0) {
    o.max_size = 0;
  }
  o.max_size &= ~7;
  return o;
}

}  // namespace cp::scrcpy
