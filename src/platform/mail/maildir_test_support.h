#pragma once
// Test-only: reading what the smtp fixture (scripts/test-servers/smtp.sh) received — one .eml
// file per message in its maildir, bodies base64 as SmtpMailer sends them.
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cp::mail::testing {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// MIME base64 (line breaks allowed) → bytes.
inline std::string base64_decode(const std::string& text) {
  std::string clean;
  for (char c : text) {
    if (c != '\r' && c != '\n') clean += c;
  }
  std::string out(clean.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  // EVP_DecodeBlock keeps a zero byte for each '=' of padding.
  for (size_t i = clean.size(); i > 0 && clean[i - 1] == '=' && !out.empty(); --i) out.pop_back();
  return out;
}

// The full text of every message received so far.
inline std::vector<std::string> received(const std::string& maildir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(maildir)) {
    if (e.path().extension() == ".eml") out.push_back(read_file(e.path()));
  }
  return out;
}

// The decoded body of one message ("" without a header/body separator).
inline std::string body_of(const std::string& eml) {
  auto at = eml.find("\r\n\r\n");
  return at == std::string::npos ? "" : base64_decode(eml.substr(at + 4));
}

}  // namespace cp::mail::testing
