#pragma once
// The options scrcpy-server takes as `key=value` arguments (Options.java), with the client-side
// builder of the `app_process` command line and the server-side parser of it.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cp::scrcpy {

struct ServerOptions {
  std::string version = "3.3.4";  // the server refuses any other client version exactly
  int64_t scid = -1;              // 31-bit session id; -1 = none (socket name "scrcpy")
  std::string log_level = "info";
  bool video = true;
  bool audio = true;
  bool control = true;
  std::string video_codec = "h264";
  int max_size = 0;  // 0 = no limit; the server rounds it down to a multiple of 8
  int video_bit_rate = 8'000'000;
  std::optional<double> max_fps;
  bool tunnel_forward = false;
  bool clipboard_autosync = true;
  bool cleanup = true;
  bool power_on = true;
  bool send_device_meta = true;
  bool send_frame_meta = true;
  bool send_dummy_byte = true;
  bool send_codec_meta = true;
  bool raw_stream = false;  // true forces all four send_* to false
  // Keys this parser does not model, kept verbatim (the real server only warns about them).
  std::map<std::string, std::string> other;
};

// "scrcpy_0abc1234", or "scrcpy" without scid.
std::string socket_name(const ServerOptions& options);

// Arguments after `adb shell`: CLASSPATH=<jar> app_process / com.genymobile.scrcpy.Server <ver>
// scid=... log_level=... and every option that differs from the server default.
std::vector<std::string> build_server_command(
    const ServerOptions& options,
    const std::string& server_path = "/data/local/tmp/scrcpy-server.jar");
// The same as one shell command line (values never need quoting: no spaces are produced).
std::string join_command(const std::vector<std::string>& args);

// Parses the server's argv. Everything before the server class name (CLASSPATH=..., app_process,
// "/") is skipped, the token after the class is the version, the rest are key=value options.
// Without the class name a leading version token ("3.3.4") and every key=value token are parsed.
// Throws ProtocolError on bad values.
ServerOptions parse_server_args(std::span<const std::string> args);

// Applies raw_stream and max_size rounding the way the server does.
ServerOptions normalized(ServerOptions options);

}  // namespace cp::scrcpy
