#include "services/user/tokens.h"

#include <gtest/gtest.h>

#include "services/user/crypto.h"

namespace cp::user {
namespace {

constexpr std::string_view kSecret = "test-secret-0123456789abcdef0123456789";
const TimePoint kNow = from_unix_ms(1'700'000'000'000);

AccessClaims sample_claims() {
  return AccessClaims{"usr_1", {"user"},           {"device:create", "device:read"},
                      "fam_1", unix_seconds(kNow), unix_seconds(kNow) + 900};
}

TEST(AccessToken, RoundTripGivesIdentity) {
  auto token = sign_access_token(sample_claims(), kSecret);
  auto v = verify_access_token(token, kSecret, kNow + std::chrono::seconds(60));
  ASSERT_TRUE(v.ok()) << to_string(v.error);
  EXPECT_EQ(v.identity.user_id, "usr_1");
  EXPECT_EQ(v.identity.roles, std::vector<std::string>{"user"});
  EXPECT_TRUE(v.identity.has_permission("device:read"));
  EXPECT_FALSE(v.identity.has_permission("user:read"));
  EXPECT_EQ(v.identity.credential_id, "fam_1");
  EXPECT_EQ(v.identity.auth_method, "jwt");
  EXPECT_EQ(v.claims.expires_at, unix_seconds(kNow) + 900);
}

TEST(AccessToken, ExpiredAtExp) {
  auto token = sign_access_token(sample_claims(), kSecret);
  EXPECT_EQ(verify_access_token(token, kSecret, kNow + std::chrono::seconds(899)).error,
            TokenError::none);
  EXPECT_EQ(verify_access_token(token, kSecret, kNow + std::chrono::seconds(900)).error,
            TokenError::expired);
}

TEST(AccessToken, WrongSecretIsInvalidSignature) {
  auto token = sign_access_token(sample_claims(), kSecret);
  EXPECT_EQ(verify_access_token(token, "another-secret", kNow).error,
            TokenError::invalid_signature);
}

TEST(AccessToken, TamperedPayloadIsInvalidSignature) {
  auto token = sign_access_token(sample_claims(), kSecret);
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  auto payload = *base64url_decode(token.substr(first + 1, second - first - 1));
  auto pos = payload.find("\"user\"");
  ASSERT_NE(pos, std::string::npos);
  payload.replace(pos, 6, "\"super_admin\"");
  std::string forged =
      token.substr(0, first + 1) + base64url_encode(payload) + token.substr(second);
  EXPECT_EQ(verify_access_token(forged, kSecret, kNow).error, TokenError::invalid_signature);
}

TEST(AccessToken, AlgNoneIsRejected) {
  auto token = sign_access_token(sample_claims(), kSecret);
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  std::string none =
      base64url_encode(R"({"alg":"none","typ":"JWT"})") + token.substr(first, second - first) + ".";
  EXPECT_EQ(verify_access_token(none, kSecret, kNow).error, TokenError::invalid_signature);
}

TEST(AccessToken, GarbageIsMalformed) {
  EXPECT_EQ(verify_access_token("", kSecret, kNow).error, TokenError::malformed);
  EXPECT_EQ(verify_access_token("abc", kSecret, kNow).error, TokenError::malformed);
  EXPECT_EQ(verify_access_token("a.b.c", kSecret, kNow).error, TokenError::malformed);
  EXPECT_EQ(verify_access_token("a.b.c.d", kSecret, kNow).error, TokenError::malformed);
}

TEST(AccessToken, ErrorsMapToDistinctCodes) {
  EXPECT_EQ(token_error_to_api_error(TokenError::expired).code(), "token_expired");
  EXPECT_EQ(token_error_to_api_error(TokenError::invalid_signature).code(), "token_invalid");
  EXPECT_EQ(token_error_to_api_error(TokenError::malformed).code(), "token_malformed");
  EXPECT_EQ(token_error_to_api_error(TokenError::expired).status(), http::Status::unauthorized);
}

TEST(AccessToken, EmptySecretRefusesToSign) {
  EXPECT_THROW(sign_access_token(sample_claims(), ""), std::invalid_argument);
}

TEST(RefreshToken, GeneratedTokensAreUniqueAndHashed) {
  TokenSettings settings{"s"};
  auto a = generate_refresh_token(settings, kNow);
  auto b = generate_refresh_token(settings, kNow);
  EXPECT_NE(a.token, b.token);
  EXPECT_EQ(a.token_hash, hash_refresh_token(a.token));
  EXPECT_EQ(a.token_hash.size(), 64u);
  EXPECT_EQ(a.expires_at_ms, unix_ms(kNow) + 30LL * 24 * 3600 * 1000);
}

RefreshTokenState live_state() {
  return RefreshTokenState{"rt_1",       "fam_1",     "usr_1", unix_ms(kNow) + 1000,
                           std::nullopt, std::nullopt};
}

TEST(RefreshDecision, ValidTokenRotates) {
  EXPECT_EQ(decide_refresh(live_state(), true, kNow), RefreshDecision::rotate);
}

TEST(RefreshDecision, RotatedTokenPresentedAgainIsReuse) {
  auto s = live_state();
  s.used_at_ms = unix_ms(kNow) - 10;
  EXPECT_EQ(decide_refresh(s, true, kNow), RefreshDecision::reuse_detected);
  // Even after expiry, reuse still burns the family.
  EXPECT_EQ(decide_refresh(s, true, kNow + std::chrono::hours(1)), RefreshDecision::reuse_detected);
}

TEST(RefreshDecision, OtherOutcomes) {
  EXPECT_EQ(decide_refresh(std::nullopt, true, kNow), RefreshDecision::unknown);
  auto s = live_state();
  EXPECT_EQ(decide_refresh(s, true, kNow + std::chrono::seconds(1)), RefreshDecision::expired);
  EXPECT_EQ(decide_refresh(s, false, kNow), RefreshDecision::user_inactive);
  s.revoked_at_ms = unix_ms(kNow);
  EXPECT_EQ(decide_refresh(s, true, kNow), RefreshDecision::revoked);
}

}  // namespace
}  // namespace cp::user
