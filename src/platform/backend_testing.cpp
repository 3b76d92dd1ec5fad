#include "platform/backend_testing.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace cp::testing_env {
namespace {

std::string from_env(const char* var, const std::string& file) {
  if (const char* v = std::getenv(var); v && *v) return v;
  const char* env_dir = std::getenv("CP_TEST_ENV_DIR");
  if (!env_dir || !*env_dir) {
    throw std::runtime_error(
        std::string("CP_TEST_ENV_DIR is not set: run this test through ctest"));
  }
  std::string path = std::string(env_dir) + "/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + " is missing: its fixture did not start");
  std::string line, prefix = std::string(var) + "=";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  throw std::runtime_error(path + " has no " + var);
}

}  // namespace

std::string test_redis_url() {
  return from_env("CP_TEST_REDIS_URL", "redis.env");
}

std::string test_amqp_url() {
  return from_env("CP_TEST_AMQP_URL", "rabbitmq.env");
}

std::string unique_name(const std::string& prefix) {
  std::random_device rd;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return prefix + std::to_string(ms % 100'000'000) + "_" + std::to_string(rd() % 1'000'000);
}

}  // namespace cp::testing_env
