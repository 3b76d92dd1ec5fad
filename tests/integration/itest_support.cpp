#include "itest_support.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cp::itest {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

TempDir::TempDir(const std::string& prefix) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = fs::temp_directory_path() / (prefix + std::to_string(::getpid()) + "_" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string cloudphone_bin() {
  const char* bin = std::getenv("CP_CLOUDPHONE_BIN");
  if (!bin || !*bin) throw std::runtime_error("CP_CLOUDPHONE_BIN is not set (run through ctest)");
  return bin;
}

namespace {
std::string env_name(const std::string& key) {
  std::string out = "CLOUDPHONE_";
  for (char c : key) {
    out += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tail(const std::string& s, size_t n) { return s.size() <= n ? s : "..." + s.substr(s.size() - n); }
}  // namespace

Process::Process(std::string name, std::vector<std::string> args, Settings settings, fs::path log_dir)
    : name_(std::move(name)),
      args_(std::move(args)),
      settings_(std::move(settings)),
      out_(log_dir / (name_ + ".out")),
      err_(log_dir / (name_ + ".err")) {}

Process::~Process() { kill_now(); }

void Process::start() {
  if (pid_ > 0) throw std::logic_error("process already running");
  // Everything the child needs is prepared before fork: after it, only exec-safe calls.
  std::vector<std::string> argv_s{cloudphone_bin()};
  argv_s.insert(argv_s.end(), args_.begin(), args_.end());
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).substr(0, 11) != "CLOUDPHONE_") env_s.emplace_back(*e);
  }
  for (const auto& [k, v] : settings_) env_s.push_back(env_name(k) + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);
  int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) throw std::runtime_error("cannot open log files for " + name_);
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(err);
  pid_ = pid;
}

bool Process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void Process::kill_now() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);  // its process group: anything it started goes too
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Process::stdout_text() const { return read_file(out_); }
std::string Process::stderr_text() const { return read_file(err_); }

std::string Process::diagnostics() const {
  return "--- " + name_ + " stdout ---\n" + tail(stdout_text(), 2000) + "\n--- " + name_ + " stderr ---\n" +
         tail(stderr_text(), 4000);
}

bool Process::wait_for_output(const std::string& needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (stdout_text().find(needle) != std::string::npos) return true;
    if (!running()) return stdout_text().find(needle) != std::string::npos;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

bool Process::wait_healthy(uint16_t port, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  http::HttpClient client(http::HttpClient::Options{200ms, 1000ms, 1, 1 << 20});
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return false;
    try {
      http::Request req{http::Method::get, "/health", 11};
      if (client.send({"127.0.0.1", port}, std::move(req)).result_int() == 200) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

boost::json::object Reply::json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

std::string Reply::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

Client::Client(uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout), client_(http::HttpClient::Options{1000ms, timeout, 8, 64 << 20}) {}

Reply Client::send(http::Method method, const std::string& target, const std::optional<std::string>& body,
                   const std::map<std::string, std::string>& headers, const std::string& content_type) {
  http::Request req{method, target, 11};
  if (body) {
    req.body() = *body;
    if (!content_type.empty()) req.set(http::bhttp::field::content_type, content_type);
  }
  for (const auto& [k, v] : headers) req.set(k, v);
  auto start = std::chrono::steady_clock::now();
  auto res = client_.send({"127.0.0.1", port_}, std::move(req), timeout_);
  Reply r;
  r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  r.status = res.result_int();
  r.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    r.headers[name] = std::string(f.value());
  }
  return r;
}

std::map<std::string, std::string> bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

boost::json::object register_and_login(Client& client, const std::string& username, const std::string& password) {
  auto reg = client.post_json("/api/v1/auth/register", {{"email", username + "@example.com"},
                                                         {"username", username},
                                                         {"password", password}});
  if (reg.status != 201) throw std::runtime_error("register " + username + ": " + std::to_string(reg.status) + " " + reg.body);
  auto login = client.post_json("/api/v1/auth/login", {{"login", username}, {"password", password}});
  if (login.status != 200) throw std::runtime_error("login " + username + ": " + std::to_string(login.status) + " " + login.body);
  return login.json();
}

std::optional<std::string> printed_value(const std::string& output, const std::string& label) {
  auto pos = output.find(label + ": ");
  if (pos == std::string::npos) return std::nullopt;
  pos += label.size() + 2;
  auto end = output.find_first_of(" \r\n", pos);
  auto value = output.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  if (value.empty()) return std::nullopt;
  return value;
}

std::optional<std::string> test_env(const std::string& file, const std::string& key) {
  if (const char* v = std::getenv(key.c_str()); v && *v) return std::string(v);
  const char* dir = std::getenv("CP_TEST_ENV_DIR");
  if (!dir) return std::nullopt;
  std::ifstream in(fs::path(dir) / file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return std::nullopt;
}

}  // namespace cp::itest
