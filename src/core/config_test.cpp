// Configuration layering: defaults < YAML < CLOUDPHONE_* environment < set(); env names map to
// keys that contain underscores; secrets are masked.
#include "core/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cp {
namespace {

std::string write_yaml(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("cp_config_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

TEST(ConfigTest, YamlIsFlattenedToDottedKeys) {
  auto path = write_yaml(
      "db:\n  core_url: postgres://db/core\nhttp:\n  port: 30001\n"
      "cors:\n  origins: [http://a, http://b]\nfeature: yes\n");
  char* env[] = {nullptr};
  auto config = Config::load(path, env);
  std::filesystem::remove(path);
  EXPECT_EQ(config.get("db.core_url"), "postgres://db/core");
  EXPECT_EQ(config.get_int("http.port", 0), 30001);
  EXPECT_EQ(config.get_list("cors.origins"), (std::vector<std::string>{"http://a", "http://b"}));
  EXPECT_TRUE(config.get_bool("feature", false));
}

TEST(ConfigTest, EnvironmentOverridesYamlEvenForKeysWithUnderscores) {
  auto path =
      write_yaml("db:\n  core_url: from-yaml\ngateway:\n  rate_limit:\n    per_second: 5\n");
  std::string a = "CLOUDPHONE_DB_CORE_URL=from-env";
  std::string b = "CLOUDPHONE_GATEWAY_RATE_LIMIT_PER_SECOND=50";
  std::string c = "OTHER_VAR=ignored";
  char* env[] = {a.data(), b.data(), c.data(), nullptr};
  auto config = Config::load(path, env);
  std::filesystem::remove(path);
  EXPECT_EQ(config.get("db.core_url"), "from-env");
  EXPECT_EQ(config.get_int("gateway.rate_limit.per_second", 0), 50);
  EXPECT_FALSE(config.has("other.var"));
}

TEST(ConfigTest, EnvironmentBeatsDefaultsAndSetBeatsEverything) {
  std::string a = "CLOUDPHONE_HTTP_IDLE_TIMEOUT_MS=1500";
  char* env[] = {a.data(), nullptr};
  auto config = Config::load("", env);
  config.set_default("http.idle_timeout_ms", "60000");
  EXPECT_EQ(config.get_ms("http.idle_timeout_ms", std::chrono::milliseconds(1)).count(), 1500);
  EXPECT_TRUE(config.has("http.idle_timeout_ms"));
  config.set("http.idle_timeout_ms", "10");
  EXPECT_EQ(config.get_int("http.idle_timeout_ms", 0), 10);
  config.set_default("http.idle_timeout_ms", "99");
  EXPECT_EQ(config.get_int("http.idle_timeout_ms", 0), 10);
}

TEST(ConfigTest, TypedGettersAndErrors) {
  Config config;
  config.set("n", "abc");
  config.set("flag", "off");
  config.set("list", " a, ,b ,c");
  EXPECT_THROW(config.get_int("n", 0), std::runtime_error);
  EXPECT_EQ(config.get_int("missing", 7), 7);
  EXPECT_FALSE(config.get_bool("flag", true));
  EXPECT_TRUE(config.get_bool("missing", true));
  EXPECT_EQ(config.get_list("list"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(config.get_list("missing").empty());
}

TEST(ConfigTest, MissingOrBrokenYamlIsAnError) {
  char* env[] = {nullptr};
  EXPECT_THROW(Config::load("/nonexistent/cloudphone.yaml", env), std::runtime_error);
  auto path = write_yaml("a: [unclosed\n");
  EXPECT_THROW(Config::load(path, env), std::runtime_error);
  std::filesystem::remove(path);
}

TEST(ConfigTest, MaskedHidesSecretsIncludingFromEnvironment) {
  std::string a = "CLOUDPHONE_AUTH_JWT_SECRET=s3cr3t";
  std::string b = "CLOUDPHONE_LOG_LEVEL=debug";
  char* env[] = {a.data(), b.data(), nullptr};
  auto config = Config::load("", env);
  config.set_default("auth.jwt_secret", "dev");
  config.set("db.password", "pw");
  auto masked = config.masked();
  EXPECT_EQ(masked.at("auth.jwt_secret"), "********");
  EXPECT_EQ(masked.at("db.password"), "********");
  EXPECT_EQ(masked.at("log.level"), "debug");
  for (const auto& [k, v] : masked) EXPECT_EQ(v.find("s3cr3t"), std::string::npos) << k;
}

// A variable is listed under the key the code reads, even with no default or file value for it.
TEST(ConfigTest, MaskedNamesVariablesByTheKeysTheCodeReads) {
  std::string a = "CLOUDPHONE_CFGTEST_SIGNING_SECRET=s3cr3t";
  std::string b = "CLOUDPHONE_CFGTEST_CACHE_MS=250";
  char* env[] = {a.data(), b.data(), nullptr};
  auto config = Config::load("", env);
  EXPECT_EQ(config.get("cfgtest.signing_secret"), "s3cr3t");
  EXPECT_EQ(config.get_int("cfgtest.cache_ms", 0), 250);
  auto masked = config.masked();
  EXPECT_EQ(masked.at("cfgtest.signing_secret"), "********");
  EXPECT_EQ(masked.at("cfgtest.cache_ms"), "250");
  EXPECT_EQ(masked.count("cfgtest.signing.secret"), 0u);
}

TEST(ConfigTest, KeyFromEnv) {
  EXPECT_EQ(Config::key_from_env("CLOUDPHONE_LOG_LEVEL"), "log.level");
}

}  // namespace
}  // namespace cp
