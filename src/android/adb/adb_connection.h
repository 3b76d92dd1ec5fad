#pragma once
// AdbConnection: the host side of ADB straight to a device over TCP (e.g. a Redroid
// container's port 5555), without Google's adb server. CNXN + AUTH handshake, then streams
// multiplexed by AdbMux. Every call has a timeout and throws AdbError; when the device dies,
// pending and later calls fail promptly.
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "android/adb/adb_key.h"
#include "android/adb/adb_mux.h"
#include "android/adb/sync_client.h"

namespace cp::adb {

struct AdbConnectOptions {
  Millis connect_timeout = std::chrono::seconds(10);  // TCP + CNXN/AUTH handshake
  Millis io_timeout = std::chrono::seconds(30);       // each blocking step of sync/streams
  const AdbKey* key = nullptr;                        // needed only when the device requires AUTH
  // After our signature is rejected, offer the public key (the device may accept it).
  bool offer_public_key = true;
};

struct ShellResult {
  int exit_code = -1;  // -1 when the device lacks shell_v2 (legacy shell has no exit code)
  std::string out;
  std::string err;  // empty for legacy shell (merged into out)
};

class AdbConnection {
 public:
  static std::unique_ptr<AdbConnection> connect(const std::string& host, uint16_t port,
                                                const AdbConnectOptions& options = {});
  ~AdbConnection();

  // "device::ro.product.name=...;...;features=..." as the device sent it.
  const std::string& banner() const { return banner_; }
  bool has_feature(const std::string& feature) const { return features_.count(feature) > 0; }
  std::optional<std::string> banner_property(const std::string& key) const;
  uint32_t max_payload() const { return mux_->max_payload(); }
  bool alive() const { return mux_->alive(); }

  // Any service as a raw byte stream: "tcp:8080", "localabstract:scrcpy", "exec:ls", ...
  std::shared_ptr<AdbStream> open(const std::string& service);
  std::shared_ptr<AdbStream> open_tcp(uint16_t device_port) {
    return open("tcp:" + std::to_string(device_port));
  }
  std::shared_ptr<AdbStream> open_local_abstract(const std::string& name) {
    return open("localabstract:" + name);
  }

  // Runs a command; shell v2 (separate stderr, exit code) when the device supports it.
  ShellResult shell(const std::string& command, Millis timeout = std::chrono::seconds(60));
  // `shell:` v1: stdout+stderr merged, no exit code.
  std::string shell_raw(const std::string& command, Millis timeout = std::chrono::seconds(60));
  // `exec:` — binary-clean stdout, `input` written to stdin first.
  std::string exec(const std::string& command, std::string_view input = {},
                   Millis timeout = std::chrono::seconds(60));

  std::unique_ptr<SyncClient> sync();
  void push(const std::filesystem::path& local, const std::string& remote, uint32_t mode = 0100644);
  void pull(const std::string& remote, const std::filesystem::path& local);

  // Installs an APK: streamed `cmd package install -S` when the device has `cmd`, else push to
  // /data/local/tmp + `pm install`. Throws AdbError with the device's message on failure.
  void install(const std::filesystem::path& apk, const std::vector<std::string>& options = {},
               Millis timeout = std::chrono::minutes(5));
  // `reboot:<target>`; the connection is expected to drop afterwards.
  void reboot(const std::string& target = "");

 private:
  AdbConnection() = default;
  std::string banner_;
  std::set<std::string> features_;
  AdbConnectOptions options_;
  std::unique_ptr<AdbMux> mux_;
};

// Quotes one word for the device's sh: 'it'\''s'.
std::string shell_quote(std::string_view word);

}  // namespace cp::adb
