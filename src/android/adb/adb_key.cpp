#include "android/adb/adb_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "android/adb/adb_packet.h"
#include "android/adb/byte_order.h"

namespace cp::adb {
namespace {

constexpr int kModulusBytes = 256;
constexpr uint32_t kModulusWords = kModulusBytes / 4;

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
struct BnCtxDeleter {
  void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
struct CtxDeleter {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxDeleter>;
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

BnPtr get_bn(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw AdbError("adb key: not an RSA key");
  return BnPtr(bn);
}

// Writes bn as exactly kModulusBytes little-endian bytes.
void put_bn_le(std::vector<uint8_t>& out, const BIGNUM* bn) {
  uint8_t le[kModulusBytes];
  if (BN_bn2lebinpad(bn, le, kModulusBytes) != kModulusBytes) {
    throw AdbError("adb key: number does not fit 2048 bits");
  }
  out.insert(out.end(), le, le + kModulusBytes);
}

std::string base64_encode(std::span<const uint8_t> data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::vector<uint8_t> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) throw AdbError("adb key: bad base64 length");
  std::vector<uint8_t> out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) throw AdbError("adb key: bad base64");
  // EVP_DecodeBlock counts the '=' padding as zero bytes.
  size_t pad = (text.back() == '=') + (text.size() > 1 && text[text.size() - 2] == '=');
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string user_at_host() {
  const char* user = getenv("USER");
  char host[256] = "unknown";
  gethostname(host, sizeof(host) - 1);
  return std::string(user && *user ? user : "cloudphone") + "@" + host;
}

}  // namespace

std::vector<uint8_t> encode_android_pubkey(EVP_PKEY* key) {
  if (EVP_PKEY_get_bits(key) != 2048) throw AdbError("adb key: only RSA-2048 is supported");
  BnPtr n = get_bn(key, OSSL_PKEY_PARAM_RSA_N);
  BnPtr e = get_bn(key, OSSL_PKEY_PARAM_RSA_E);
  std::unique_ptr<BN_CTX, BnCtxDeleter> ctx(BN_CTX_new());
  // n0inv = -1 / n mod 2^32 and rr = 2^4096 mod n: Montgomery constants the on-device
  // verifier of old Android versions used; modern decoders ignore them but the blob has them.
  BnPtr r32(BN_new()), n0inv(BN_new()), rr(BN_new());
  BN_set_bit(r32.get(), 32);
  BN_mod(n0inv.get(), n.get(), r32.get(), ctx.get());
  if (!BN_mod_inverse(n0inv.get(), n0inv.get(), r32.get(), ctx.get())) {
    throw AdbError("adb key: modulus is even");
  }
  BN_sub(n0inv.get(), r32.get(), n0inv.get());
  BN_set_bit(rr.get(), 4096);
  BN_mod(rr.get(), rr.get(), n.get(), ctx.get());

  std::vector<uint8_t> blob;
  blob.reserve(kAndroidPubkeySize);
  put_le32(blob, kModulusWords);
  put_le32(blob, static_cast<uint32_t>(BN_get_word(n0inv.get())));
  put_bn_le(blob, n.get());
  put_bn_le(blob, rr.get());
  put_le32(blob, static_cast<uint32_t>(BN_get_word(e.get())));
  return blob;
}

PkeyPtr decode_android_pubkey(std::span<const uint8_t> blob) {
  if (blob.size() != kAndroidPubkeySize) throw AdbError("adb key: blob must be 524 bytes");
  if (get_le32(blob.data()) != kModulusWords) throw AdbError("adb key: modulus is not 2048-bit");
  BnPtr n(BN_lebin2bn(blob.data() + 8, kModulusBytes, nullptr));
  BnPtr e(BN_new());
  BN_set_word(e.get(), get_le32(blob.data() + 8 + 2 * kModulusBytes));

  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                      OSSL_PARAM_BLD_free);
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
  OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()),
                                                                 OSSL_PARAM_free);
  CtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    throw AdbError("adb key: cannot build RSA public key");
  }
  return PkeyPtr(key);
}

PkeyPtr parse_public_key_line(std::string_view line) {
  size_t start = line.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) throw AdbError("adb key: empty line");
  line.remove_prefix(start);
  line = line.substr(0, line.find_first_of(" \t\r\n"));
  // Some writers (adb's RSAPUBLICKEY payload) end with a NUL.
  while (!line.empty() && line.back() == '\0') line.remove_suffix(1);
  return decode_android_pubkey(base64_decode(line));
}

bool verify_token_signature(EVP_PKEY* key, std::span<const uint8_t> token,
                            std::span<const uint8_t> signature) {
  CtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha1()) != 1) {
    return false;
  }
  return EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), token.data(),
                         token.size()) == 1;
}

AdbKey AdbKey::generate() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (!key) throw AdbError("adb key: RSA key generation failed");
  return AdbKey(PkeyPtr(key));
}

AdbKey AdbKey::load(const std::filesystem::path& private_key_file) {
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(private_key_file.c_str(), "r"));
  if (!bio) throw AdbError("adb key: cannot open " + private_key_file.string());
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) throw AdbError("adb key: " + private_key_file.string() + " is not a PEM private key");
  return AdbKey(PkeyPtr(key));
}

AdbKey AdbKey::load_or_generate(const std::filesystem::path& dir) {
  auto file = dir / "adbkey";
  if (std::filesystem::exists(file)) return load(file);
  std::filesystem::create_directories(dir);
  AdbKey key = generate();
  key.save(file);
  return key;
}

void AdbKey::save(const std::filesystem::path& private_key_file) const {
  {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(private_key_file.c_str(), "w"));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr,
                                         nullptr) != 1) {
      throw AdbError("adb key: cannot write " + private_key_file.string());
    }
  }
  std::filesystem::permissions(
      private_key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::ofstream pub(private_key_file.string() + ".pub", std::ios::binary | std::ios::trunc);
  pub << public_key_string();
  if (!pub) throw AdbError("adb key: cannot write " + private_key_file.string() + ".pub");
}

std::vector<uint8_t> AdbKey::sign_token(std::span<const uint8_t> token) const {
  CtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
  size_t len = 0;
  // With a signature digest set, EVP_PKEY_sign wraps the given bytes in the SHA-1 DigestInfo
  // without hashing them again — exactly RSA_sign(NID_sha1, token, ...) as adb does.
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha1()) != 1 ||
      EVP_PKEY_sign(ctx.get(), nullptr, &len, token.data(), token.size()) != 1) {
    throw AdbError("adb key: cannot sign token");
  }
  std::vector<uint8_t> sig(len);
  if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, token.data(), token.size()) != 1) {
    throw AdbError("adb key: cannot sign token (token must be 20 bytes)");
  }
  sig.resize(len);
  return sig;
}

std::string AdbKey::public_key_string() const {
  return base64_encode(encode_android_pubkey(key_.get())) + " " + user_at_host();
}

AuthorizedKeys AuthorizedKeys::parse(std::string_view text) {
  AuthorizedKeys keys;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    try {
      keys.add(parse_public_key_line(line));
    } catch (const AdbError&) {
      // A broken line must not lock out the keys that are fine.
    }
  }
  return keys;
}

AuthorizedKeys AuthorizedKeys::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str());
}

bool AuthorizedKeys::verify(std::span<const uint8_t> token,
                            std::span<const uint8_t> signature) const {
  for (const auto& key : keys_) {
    if (verify_token_signature(key.get(), token, signature)) return true;
  }
  return false;
}

}  // namespace cp::adb
