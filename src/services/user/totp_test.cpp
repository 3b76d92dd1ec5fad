#include "services/user/totp.h"

#include <gtest/gtest.h>

namespace cp::user {
namespace {

// RFC 6238 Appendix B, SHA-1 rows (8 digits, key "12345678901234567890").
TEST(Totp, Rfc6238Sha1Vectors) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(totp_at(key, 59, 8), "94287082");
  EXPECT_EQ(totp_at(key, 1111111109, 8), "07081804");
  EXPECT_EQ(totp_at(key, 1111111111, 8), "14050471");
  EXPECT_EQ(totp_at(key, 1234567890, 8), "89005924");
  EXPECT_EQ(totp_at(key, 2000000000, 8), "69279037");
  EXPECT_EQ(totp_at(key, 20000000000, 8), "65353130");
}

// RFC 4226 Appendix D.
TEST(Totp, Rfc4226HotpVectors) {
  const std::string key = "12345678901234567890";
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t i = 0; i < 10; ++i) {
    EXPECT_EQ(hotp(key, i), expected[i]) << i;
  }
}

TEST(Totp, Base32RoundTripAndRfc4648Vectors) {
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(*base32_decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(*base32_decode("mzxw 6ytb oi"), "foobar");
  EXPECT_FALSE(base32_decode("MZ1W"));
  auto secret = generate_totp_secret();
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(base32_decode(secret)->size(), 20u);
}

TEST(Totp, VerifyAcceptsDriftAndRefusesReplay) {
  auto secret = generate_totp_secret();
  auto key = *base32_decode(secret);
  const int64_t t = 1'700'000'010;
  auto now = from_unix_ms(t * 1000);
  auto step = verify_totp(secret, totp_at(key, t), now, std::nullopt);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, t / 30);
  EXPECT_TRUE(verify_totp(secret, totp_at(key, t - 30), now, std::nullopt));
  EXPECT_TRUE(verify_totp(secret, totp_at(key, t + 30), now, std::nullopt));
  EXPECT_FALSE(verify_totp(secret, totp_at(key, t - 90), now, std::nullopt));
  EXPECT_FALSE(verify_totp(secret, totp_at(key, t), now, step)) << "replayed code accepted";
  EXPECT_FALSE(verify_totp(secret, "12345", now, std::nullopt));
  EXPECT_FALSE(verify_totp(secret, "abcdef", now, std::nullopt));
}

TEST(Totp, OtpauthUriEscapesAccount) {
  EXPECT_EQ(otpauth_uri("cloudphone", "a b@x.io", "ABC"),
            "otpauth://totp/"
            "cloudphone:a%20b@x.io?secret=ABC&issuer=cloudphone&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace cp::user
