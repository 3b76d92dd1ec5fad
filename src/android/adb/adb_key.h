#pragma once
// ADB RSA keys (protocols.md §1.5): the host's 2048-bit key pair stored as `adbkey` (PEM
// PKCS#8) + `adbkey.pub` (base64 Android RSAPublicKey blob + " user@host"), token signing as
// adb does it, and the device-side check against a list of public keys in the same format.
#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cp::adb {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

inline constexpr size_t kAndroidPubkeySize = 524;  // u32 len, u32 n0inv, n[256], rr[256], u32 e

// The 524-byte RSAPublicKey struct for a 2048-bit RSA key; throws AdbError for other sizes.
std::vector<uint8_t> encode_android_pubkey(EVP_PKEY* key);
// Parses the blob back into a public key (n0inv and rr are ignored, as adbd does).
PkeyPtr decode_android_pubkey(std::span<const uint8_t> blob);
// Parses one `adb_keys` line: "<base64> [comment]". Throws AdbError when malformed.
PkeyPtr parse_public_key_line(std::string_view line);

// RSA PKCS#1 v1.5 check of a signature over a 20-byte token taken as a SHA-1 digest.
bool verify_token_signature(EVP_PKEY* key, std::span<const uint8_t> token,
                            std::span<const uint8_t> signature);

class AdbKey {
 public:
  static AdbKey generate();
  // Reads a PEM private key (PKCS#8 or traditional RSA).
  static AdbKey load(const std::filesystem::path& private_key_file);
  // dir/adbkey (+ dir/adbkey.pub) — created with a fresh key when absent.
  static AdbKey load_or_generate(const std::filesystem::path& dir);

  void save(const std::filesystem::path& private_key_file) const;  // also writes <file>.pub
  // Signature to put in AUTH(SIGNATURE) for a device's AUTH(TOKEN).
  std::vector<uint8_t> sign_token(std::span<const uint8_t> token) const;
  // "<base64 blob> user@host" — the adbkey.pub line and the AUTH(RSAPUBLICKEY) payload.
  std::string public_key_string() const;
  EVP_PKEY* pkey() const { return key_.get(); }

 private:
  explicit AdbKey(PkeyPtr key) : key_(std::move(key)) {}
  PkeyPtr key_;
};

// The device's list of accepted keys (one adb-format line each; bad lines are skipped).
class AuthorizedKeys {
 public:
  static AuthorizedKeys parse(std::string_view text);
  static AuthorizedKeys load(const std::filesystem::path& file);  // missing file = no keys
  void add(PkeyPtr key) { keys_.push_back(std::move(key)); }
  bool verify(std::span<const uint8_t> token, std::span<const uint8_t> signature) const;
  size_t size() const { return keys_.size(); }

 private:
  std::vector<PkeyPtr> keys_;
};

}  // namespace cp::adb
