// Masking of secrets in the configuration view: by key name, and credentials inside URLs and
// connection strings whatever the key is called.
#include "core/secret_mask.h"

#include <gtest/gtest.h>

namespace cp {
namespace {

TEST(SecretMask, KeyNamesThatHoldSecrets) {
  for (const char* key :
       {"auth.jwt_secret", "auth.internal_secret", "db.password", "objects.s3.secret_key",
        "objects.s3.access_key", "smtp.PASSWORD", "notify.webhook-token", "tls.private_key",
        "payment.api_key", "oauth.credentials"}) {
    EXPECT_TRUE(is_secret_config_key(key)) << key;
    EXPECT_EQ(mask_config_value(key, "s3cr3t"), kMaskedValue) << key;
  }
  // An empty secret stays empty: the view can say "not set" without revealing anything.
  EXPECT_EQ(mask_config_value("auth.jwt_secret", ""), "");
}

TEST(SecretMask, OrdinaryKeysAndMeasuresOfSecretsAreShown) {
  for (const char* key :
       {"gateway.port", "log.level", "gateway.api_key_cache_ms", "auth.access_ttl_seconds",
        "redis.prefix", "data.dir", "monkey.count", "keyboard.layout", "tokenizer.mode"}) {
    EXPECT_FALSE(is_secret_config_key(key)) << key;
  }
  EXPECT_EQ(mask_config_value("gateway.port", "30000"), "30000");
  EXPECT_EQ(mask_config_value("gateway.api_key_cache_ms", "30000"), "30000");
}

TEST(SecretMask, UrlUserinfoKeepsTheUserOnly) {
  EXPECT_EQ(mask_config_value("db.core_url", "postgresql://cp:pw0rd@127.0.0.1:5432/core"),
            "postgresql://cp:***@127.0.0.1:5432/core");
  EXPECT_EQ(mask_config_value("redis.url", "redis://:hunter2@cache:6379/0"),
            "redis://:***@cache:6379/0");
  EXPECT_EQ(mask_config_value("amqp.url", "amqp://guest@mq/"), "amqp://guest@mq/");
  EXPECT_EQ(mask_config_value("db.core_url", "sqlite:/var/lib/cp/core.db"),
            "sqlite:/var/lib/cp/core.db");
  // A password containing '@' or ':' is masked whole (the last '@' ends the userinfo).
  EXPECT_EQ(mask_credentials_in_value("https://u:p@ss:w@host/x"), "https://u:***@host/x");
}

TEST(SecretMask, ListsAndInnocentKeysAreScannedToo) {
  EXPECT_EQ(mask_config_value("services.user.urls", "http://a:b@h1:1,http://h2:2,http://c:d@h3"),
            "http://a:***@h1:1,http://h2:2,http://c:***@h3");
  EXPECT_EQ(mask_config_value("upstream", "see https://bot:t0k3n@git.example/x for details"),
            "see https://bot:***@git.example/x for details");
}

TEST(SecretMask, SecretParametersInQueriesAndKeywordStrings) {
  EXPECT_EQ(mask_config_value("db.core_url", "postgresql://db/core?sslmode=require&password=pw"),
            "postgresql://db/core?sslmode=require&password=***");
  EXPECT_EQ(mask_config_value("db.dsn", "host=db user=cp password=pw dbname=core"),
            "host=db user=cp password=*** dbname=core");
  EXPECT_EQ(mask_config_value("hook", "https://h/x?access_token=abc&page=2"),
            "https://h/x?access_token=***&page=2");
  EXPECT_EQ(mask_config_value("gateway.rate_limit.ip", "10/1s,100/10s"), "10/1s,100/10s");
}

TEST(SecretMask, NoSecretSurvivesAnyRule) {
  const std::string secret = "Zq9-s3cr3t";
  for (const auto& [key, value] : std::initializer_list<std::pair<const char*, std::string>>{
           {"auth.jwt_secret", secret},
           {"db.core_url", "postgresql://cp:" + secret + "@db/core"},
           {"db.core_url", "postgresql://db/core?password=" + secret},
           {"x", "user=cp password=" + secret},
           {"services.user.urls", "http://h1,http://u:" + secret + "@h2"}}) {
    EXPECT_EQ(mask_config_value(key, value).find(secret), std::string::npos) << key << value;
  }
}

}  // namespace
}  // namespace cp
