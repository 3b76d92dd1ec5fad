#pragma once
// Test-only helpers (header-only, so not part of cp_devicesim): run `cloudphone devicesim` as a
// child process, run shell commands, hash files, a loopback TCP echo server.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cp::devicesim::testing {

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* v = getenv(name);
  return v && *v ? v : fallback;
}

inline std::map<std::string, std::string> read_env_file(const std::filesystem::path& file) {
  std::map<std::string, std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (auto eq = line.find('='); eq != std::string::npos)
      out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

inline std::filesystem::path make_temp_dir(const std::string& tag) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (tag + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

struct CommandResult {
  int exit_code;
  std::string output;  // stdout + stderr
};

inline CommandResult run_command(const std::string& command) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("popen failed");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::string sha256_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 16);
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char md[32];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  char h[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(h, sizeof(h), "%02x", md[i]);
    hex += h;
  }
  return hex;
}

inline void write_random_file(const std::filesystem::path& file, size_t size, unsigned seed = 1) {
  std::mt19937_64 rng(seed);
  std::ofstream out(file, std::ios::binary);
  std::vector<uint64_t> block(8192);
  for (size_t done = 0; done < size;) {
    for (auto& w : block) w = rng();
    size_t n = std::min(size - done, block.size() * 8);
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
    done += n;
  }
}

// `cloudphone devicesim --port 0 ...` with its own state dir; stopped (SIGTERM) on destruction.
class DeviceProcess {
 public:
  explicit DeviceProcess(std::vector<std::string> extra_args = {}) {
    state_dir_ = make_temp_dir("devicesim-test");
    std::string bin = env_or("CP_CLOUDPHONE_BIN", "cloudphone");
    std::vector<std::string> args = {bin,      "devicesim", "--host",      "127.0.0.1",
                                     "--port", "0",         "--state-dir", state_dir_.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    // Logs may precede it; the line we need is "listening on HOST:PORT".
    while (line.find("listening on ") == std::string::npos ||
           line.find('\n', line.find("listening on ")) == std::string::npos) {
      pollfd p{out[0], POLLIN, 0};
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      char c[256];
      ssize_t n = left > 0 && poll(&p, 1, left) > 0 ? read(out[0], c, sizeof(c)) : 0;
      if (n <= 0) break;
      line.append(c, static_cast<size_t>(n));
    }
    stdout_fd_ = out[0];
    auto at = line.find("listening on ");
    auto colon = at == std::string::npos ? at : line.rfind(':', line.find('\n', at));
    if (at == std::string::npos || colon == std::string::npos) {
      throw std::runtime_error("devicesim did not start: '" + line + "'");
    }
    port_ = static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
  }
  ~DeviceProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGCONT);
      kill(pid_, SIGTERM);
      for (int i = 0; i < 100 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_fd_);
    std::error_code ec;
    std::filesystem::remove_all(state_dir_, ec);
  }
  DeviceProcess(const DeviceProcess&) = delete;
  DeviceProcess& operator=(const DeviceProcess&) = delete;

  uint16_t port() const { return port_; }
  std::string serial() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& state_dir() const { return state_dir_; }
  // Sends a signal; for SIGKILL/SIGTERM also reaps the child. Returns its wait status or 0.
  int signal(int sig) {
    kill(pid_, sig);
    if (sig != SIGKILL && sig != SIGTERM) return 0;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  uint16_t port_ = 0;
  std::filesystem::path state_dir_;
};

// Loopback TCP server that echoes every connection, for forward/tcp: tests.
class EchoServer {
 public:
  EchoServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 8);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::thread([c] {
          char buf[65536];
          ssize_t n;
          while ((n = recv(c, buf, sizeof(buf), 0)) > 0)
            send(c, buf, static_cast<size_t>(n), MSG_NOSIGNAL);
          close(c);
        }).detach();
      }
    });
  }
  ~EchoServer() {
    shutdown(fd_, SHUT_RDWR);
    thread_.join();
    close(fd_);
  }
  uint16_t port() const { return port_; }

 private:
  int fd_;
  uint16_t port_;
  std::thread thread_;
};

inline uint16_t free_tcp_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Connects to 127.0.0.1:port; -1 on failure.
inline int connect_loopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace cp::devicesim::testing
