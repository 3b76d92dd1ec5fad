#include "android/adb/adb_key.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "android/adb/adb_packet.h"
#include "android/adb/byte_order.h"

namespace cp::adb {
namespace {

std::vector<uint8_t> token_of(uint8_t fill) {
  return std::vector<uint8_t>(kAuthTokenSize, fill);
}

TEST(AdbKey, PublicKeyStringHasAdbsFormatAndVerifiesOurSignature) {
  AdbKey key = AdbKey::generate();
  std::string pub = key.public_key_string();
  auto space = pub.find(' ');
  ASSERT_EQ(space, 700u) << "524-byte blob is 700 base64 characters";
  EXPECT_NE(pub.find('@', space), std::string::npos);

  auto keys = AuthorizedKeys::parse(pub + "\n");
  ASSERT_EQ(keys.size(), 1u);
  auto token = token_of(0x42);
  auto sig = key.sign_token(token);
  EXPECT_EQ(sig.size(), 256u);
  EXPECT_TRUE(keys.verify(token, sig));
  EXPECT_FALSE(keys.verify(token_of(0x43), sig));
  sig[10] ^= 1;
  EXPECT_FALSE(keys.verify(token, sig));
}

TEST(AdbKey, BlobCarriesMontgomeryConstantsLikeAndroid) {
  AdbKey key = AdbKey::generate();
  auto blob = encode_android_pubkey(key.pkey());
  ASSERT_EQ(blob.size(), kAndroidPubkeySize);
  EXPECT_EQ(get_le32(blob.data()), 64u);
  EXPECT_EQ(get_le32(blob.data() + 520), 65537u);
  // n0inv * n ≡ -1 (mod 2^32), n's lowest word being its first 4 little-endian bytes.
  uint32_t n0inv = get_le32(blob.data() + 4);
  uint32_t n0 = get_le32(blob.data() + 8);
  EXPECT_EQ(static_cast<uint32_t>(n0inv * n0), 0xFFFFFFFFu);
}

TEST(AdbKey, SavedKeyLoadsBackAndSignsTheSame) {
  auto dir = std::filesystem::temp_directory_path() / ("adbkey-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  AdbKey first = AdbKey::load_or_generate(dir);
  ASSERT_TRUE(std::filesystem::exists(dir / "adbkey.pub"));
  AdbKey second = AdbKey::load_or_generate(dir);
  EXPECT_EQ(first.public_key_string(), second.public_key_string());
  std::ifstream pem(dir / "adbkey");
  std::string line;
  std::getline(pem, line);
  EXPECT_EQ(line, "-----BEGIN PRIVATE KEY-----");
  auto keys = AuthorizedKeys::load(dir / "adbkey.pub");
  auto token = token_of(7);
  EXPECT_TRUE(keys.verify(token, second.sign_token(token)));
  std::filesystem::remove_all(dir);
}

TEST(AdbKey, BrokenLinesAreSkippedNotFatal) {
  AdbKey key = AdbKey::generate();
  auto keys = AuthorizedKeys::parse("garbage\n\nQUFBQQ== x@y\n" + key.public_key_string());
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_THROW(parse_public_key_line("not*base64"), AdbError);
}

}  // namespace
}  // namespace cp::adb
