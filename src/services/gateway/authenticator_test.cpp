// The gateway's one authentication step: Bearer JWT verified locally, X-API-Key looked up through
// a (here fake) user-service lookup and cached, anything wrong refused with a distinct 401 code.
#include "services/gateway/authenticator.h"

#include <gtest/gtest.h>

#include <map>

#include "core/identity_codec.h"
#include "platform/cache.h"
#include "services/user/tokens.h"

namespace cp::gateway {
namespace {

using namespace std::chrono_literals;
constexpr std::string_view kSecret = "gateway-test-secret-0123456789abcdef";
const std::string kKey = "cpk_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

std::string token(std::string_view secret = kSecret, std::chrono::seconds from_now = 900s) {
  auto now = std::chrono::system_clock::now();
  user::AccessClaims c{"usr_alice",
                       {"user"},
                       {"device:read"},
                       "fam_1",
                       user::unix_seconds(now) - 10,
                       user::unix_seconds(now + from_now)};
  return user::sign_access_token(c, secret);
}

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest()
      : cache_(cache::MemoryCacheOptions{1000, 1, [this] { return now_; }}),
        auth_(
            std::string(kSecret), [this](const std::string& key) { return lookup(key); }, cache_,
            500ms) {}

  std::optional<http::Identity> lookup(const std::string& key) {
    ++lookups_;
    auto it = keys_.find(key);
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }

  // Runs authenticate() on a request with the given headers; the 401 code when it throws.
  std::optional<http::Identity> run(const std::map<std::string, std::string>& headers,
                                    std::string* code = nullptr,
                                    const std::string& target = "/api/v1/users/me") {
    http::Request req{http::Method::get, target, 11};
    for (const auto& [k, v] : headers) req.set(k, v);
    http::RequestContext ctx{req};
    try {
      return auth_.authenticate(ctx);
    } catch (const http::ApiError& e) {
      EXPECT_EQ(e.status(), http::Status::unauthorized);
      if (code) *code = e.code();
      return std::nullopt;
    }
  }
  std::string code_of(const std::map<std::string, std::string>& headers) {
    std::string code = "(no error)";
    run(headers, &code);
    return code;
  }

  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
  cache::MemoryCache cache_;
  std::map<std::string, http::Identity> keys_;
  int lookups_ = 0;
  Authenticator auth_;
};

TEST_F(AuthenticatorTest, NoCredentialsIsAnonymous) {
  std::string code = "(no error)";
  EXPECT_EQ(run({}, &code), std::nullopt);
  EXPECT_EQ(code, "(no error)");
  EXPECT_EQ(lookups_, 0);
}

TEST_F(AuthenticatorTest, ValidBearerTokenGivesTheIdentity) {
  auto id = run({{"Authorization", "Bearer " + token()}});
  ASSERT_TRUE(id);
  EXPECT_EQ(id->user_id, "usr_alice");
  EXPECT_EQ(id->auth_method, "jwt");
  EXPECT_TRUE(id->has_permission("device:read"));
}

TEST_F(AuthenticatorTest, BadTokensAre401WithDistinctCodes) {
  EXPECT_EQ(code_of({{"Authorization", "Bearer " + token(kSecret, -60s)}}), "token_expired");
  EXPECT_EQ(code_of({{"Authorization", "Bearer " + token("some-other-secret-0123456789abcdef")}}),
            "token_invalid");
  EXPECT_EQ(code_of({{"Authorization", "Bearer not-a-jwt"}}), "token_malformed");
  EXPECT_EQ(code_of({{"Authorization", "Basic dXNlcjpwYXNz"}}), "token_malformed");
  EXPECT_EQ(code_of({{"Authorization", "Bearer "}}), "token_malformed");

  // Tampered: the payload claims super_admin, the signature is the original one.
  auto t = token();
  auto first = t.find('.');
  auto second = t.find('.', first + 1);
  auto payload = *http::base64url_decode(t.substr(first + 1, second - first - 1));
  auto pos = payload.find("\"user\"");
  ASSERT_NE(pos, std::string::npos);
  payload.replace(pos, 6, "\"super_admin\"");
  auto forged = t.substr(0, first + 1) + http::base64url_encode(payload) + t.substr(second);
  EXPECT_EQ(code_of({{"Authorization", "Bearer " + forged}}), "token_invalid");
}

TEST_F(AuthenticatorTest, BadBearerIsRefusedEvenWithAGoodApiKey) {
  keys_[kKey] = {"usr_bob", {"user"}, {"device:read"}, "api_key", "key_1", {}};
  EXPECT_EQ(code_of({{"Authorization", "Bearer junk"}, {"X-API-Key", kKey}}), "token_malformed");
}

TEST_F(AuthenticatorTest, ApiKeyThroughTheLookupIsCachedForTheTtl) {
  keys_[kKey] = {"usr_bob", {"user"}, {"device:read"}, "api_key", "key_1", {"device:read"}};
  auto id = run({{"X-API-Key", kKey}});
  ASSERT_TRUE(id);
  EXPECT_EQ(id->user_id, "usr_bob");
  EXPECT_EQ(id->auth_method, "api_key");
  EXPECT_EQ(id->credential_id, "key_1");
  EXPECT_EQ(id->scopes, std::vector<std::string>{"device:read"});
  EXPECT_EQ(lookups_, 1);
  ASSERT_TRUE(run({{"X-API-Key", kKey}}));
  EXPECT_EQ(lookups_, 1) << "second use within the TTL comes from the cache";

  keys_.clear();  // revoked
  now_ += 400ms;
  EXPECT_TRUE(run({{"X-API-Key", kKey}})) << "still cached";
  now_ += 200ms;
  EXPECT_EQ(code_of({{"X-API-Key", kKey}}), "api_key_invalid");
  EXPECT_EQ(lookups_, 2);
}

TEST_F(AuthenticatorTest, UnknownApiKeyIs401AndTheNoIsCachedToo) {
  EXPECT_EQ(code_of({{"X-API-Key", kKey}}), "api_key_invalid");
  EXPECT_EQ(code_of({{"X-API-Key", kKey}}), "api_key_invalid");
  EXPECT_EQ(lookups_, 1);
  EXPECT_EQ(code_of({{"X-API-Key", std::string(300, 'a')}}), "api_key_invalid");
  EXPECT_EQ(lookups_, 1) << "oversized keys are refused without a lookup";
}

TEST_F(AuthenticatorTest, LookupFailurePropagates) {
  Authenticator failing(
      std::string(kSecret),
      [](const std::string&) -> std::optional<http::Identity> {
        throw http::unavailable("cannot verify API keys right now");
      },
      cache_);
  http::Request req{http::Method::get, "/api/v1/users/me", 11};
  req.set("X-API-Key", kKey);
  http::RequestContext ctx{req};
  try {
    failing.authenticate(ctx);
    FAIL() << "expected 503";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.status(), http::Status::service_unavailable);
  }
}

TEST_F(AuthenticatorTest, WebSocketMayCarryTheTokenAsQueryParameter) {
  http::Request req{http::Method::get, "/api/v1/streams/x?access_token=" + token(), 11};
  req.set(http::bhttp::field::connection, "Upgrade");
  req.set(http::bhttp::field::upgrade, "websocket");
  http::RequestContext ctx{req};
  auto id = auth_.authenticate(ctx);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->user_id, "usr_alice");
  // ... but not on plain requests.
  http::Request plain{http::Method::get, "/api/v1/users/me?access_token=" + token(), 11};
  http::RequestContext plain_ctx{plain};
  EXPECT_EQ(auth_.authenticate(plain_ctx), std::nullopt);
}

}  // namespace
}  // namespace cp::gateway
