// Permission wildcards and the signed identity header: a valid header round-trips; a tampered,
// expired, future-dated, wrongly-signed or garbage header is rejected.
#include <gtest/gtest.h>

#include "core/identity.h"
#include "core/identity_codec.h"

#include <boost/json/serialize.hpp>

namespace cp::http {
namespace {

TEST(PermissionTest, ExactAndWildcardGrants) {
  EXPECT_TRUE(permission_matches("device:create", "device:create"));
  EXPECT_TRUE(permission_matches("device:*", "device:create"));
  EXPECT_TRUE(permission_matches("*", "billing:refund"));
  EXPECT_FALSE(permission_matches("device:read", "device:create"));
  EXPECT_FALSE(permission_matches("device:*", "devices:create"));  // not a prefix match
  EXPECT_FALSE(permission_matches("device:*", "app:install"));
  EXPECT_FALSE(permission_matches("device", "device:create"));
  EXPECT_FALSE(permission_matches("", "device:create"));
  EXPECT_FALSE(permission_matches("device:create", "device:*"));  // a grant is not a pattern
}

TEST(PermissionTest, ApiKeyScopesNarrowTheUsersPermissions) {
  Identity who{"usr_1", {"user"}, {"device:*", "app:read"}, "api_key", "key_1", {"device:read"}};
  EXPECT_TRUE(who.has_permission("device:read"));
  EXPECT_FALSE(who.has_permission("device:delete"));  // the user may, the key may not
  EXPECT_FALSE(who.has_permission("app:read"));
  who.scopes = {"*"};
  EXPECT_FALSE(who.has_permission("billing:read"));  // scopes never widen
  EXPECT_TRUE(who.has_permission("app:read"));
}

TEST(PermissionTest, Roles) {
  Identity who{"usr_1", {"admin"}, {}, "jwt", "", {}};
  EXPECT_TRUE(who.is_admin());
  EXPECT_FALSE(who.has_permission("device:read"));
  who.roles = {"user"};
  EXPECT_FALSE(who.is_admin());
}

TEST(Base64UrlTest, RoundTripsAllLengths) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    auto encoded = base64url_encode(data);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(base64url_decode(encoded), data);
    data += static_cast<char>(i * 37 + 200);
  }
  EXPECT_FALSE(base64url_decode("a").has_value());
  EXPECT_FALSE(base64url_decode("ab$d").has_value());
}

class IdentityCodecTest : public ::testing::Test {
 protected:
  Identity who_{"usr_42", {"user"}, {"device:*"}, "jwt", "fam_1", {"device:read"}};
  IdentityCodec codec_{"internal-secret", std::chrono::seconds(120)};
  const int64_t now_ = 1'700'000'000;
};

TEST_F(IdentityCodecTest, RoundTrips) {
  auto decoded = codec_.decode(codec_.encode(who_, now_), now_ + 5);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->user_id, "usr_42");
  EXPECT_EQ(decoded->roles, who_.roles);
  EXPECT_EQ(decoded->permissions, who_.permissions);
  EXPECT_EQ(decoded->auth_method, "jwt");
  EXPECT_EQ(decoded->credential_id, "fam_1");
  EXPECT_EQ(decoded->scopes, who_.scopes);
}

TEST_F(IdentityCodecTest, RejectsExpiredAndFutureHeaders) {
  auto header = codec_.encode(who_, now_);
  EXPECT_TRUE(codec_.decode(header, now_ + 120).has_value());
  EXPECT_FALSE(codec_.decode(header, now_ + 121).has_value());
  EXPECT_FALSE(codec_.decode(header, now_ - 31).has_value());
}

TEST_F(IdentityCodecTest, RejectsAnotherSecret) {
  IdentityCodec other("another-secret");
  EXPECT_FALSE(other.decode(codec_.encode(who_, now_), now_).has_value());
}

TEST_F(IdentityCodecTest, RejectsTamperingWithAnyPart) {
  auto header = codec_.encode(who_, now_);
  auto dot1 = header.find('.');
  auto dot2 = header.rfind('.');
  // Escalate to admin: re-encode the payload with more permissions, keep the signature.
  Identity admin = who_;
  admin.permissions = {"*"};
  auto forged_payload = base64url_encode(boost::json::serialize(identity_to_json(admin)));
  EXPECT_FALSE(codec_.decode(forged_payload + header.substr(dot1), now_).has_value());
  // Extend the lifetime: change the timestamp.
  auto later = header.substr(0, dot1) + "." + std::to_string(now_ + 100) + header.substr(dot2);
  EXPECT_FALSE(codec_.decode(later, now_ + 150).has_value());
  // Flip each character of the header in turn.
  for (size_t i = 0; i < header.size(); ++i) {
    auto bad = header;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(codec_.decode(bad, now_).has_value()) << "position " << i;
  }
  EXPECT_FALSE(codec_.decode(header + "A", now_).has_value());
  EXPECT_FALSE(codec_.decode(header.substr(0, header.size() - 1), now_).has_value());
}

TEST_F(IdentityCodecTest, RejectsGarbage) {
  for (const char* garbage : {"", ".", "..", "...", "a.b.c", "not-a-header", "e30.x.y",
                              "e30.1700000000.", "\xff\xfe.\x01.\x02"}) {
    EXPECT_FALSE(codec_.decode(garbage, now_).has_value()) << garbage;
  }
}

TEST(HmacTest, MatchesRfc4231TestCase2) {
  auto mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (unsigned char c : mac) {
    text += hex[c >> 4];
    text += hex[c & 15];
  }
  EXPECT_EQ(text, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace
}  // namespace cp::http
