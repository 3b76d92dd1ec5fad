#include "platform/mail/mailer.h"

#include <openssl/evp.h>

namespace cp::mail {
namespace {

// Header values come from configuration and user data; a CR or LF would start a new header.
std::string one_line(std::string_view value) {
  std::string out;
  for (char c : value) {
    out += (c == '\r' || c == '\n') ? ' ' : c;
  }
  return out;
}

bool is_ascii_printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// RFC 2047 "B" encoding, split so that no encoded word exceeds 75 characters and no UTF-8
// sequence is cut in half.
std::string encode_header_words(std::string_view text) {
  if (is_ascii_printable(text)) return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string bare_address(const std::string& mailbox) {
  auto open = mailbox.rfind('<');
  auto close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

std::string render_message(const Message& m, const std::string& date,
                           const std::string& message_id) {
  std::string to;
  for (const auto& r : m.to) {
    to += (to.empty() ? "" : ", ") + one_line(r);
  }
  std::string out;
  out += "Date: " + one_line(date) + "\r\n";
  out += "From: " + one_line(m.from) + "\r\n";
  out += "To: " + to + "\r\n";
  out += "Message-ID: " + one_line(message_id) + "\r\n";
  out += "Subject: " + encode_header_words(one_line(m.subject)) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  // The body with CRLF line ends, base64 in 76-character lines (RFC 2045).
  std::string body;
  for (char c : m.text) {
    if (c == '\n' && (body.empty() || body.back() != '\r')) body += '\r';
    body += c;
  }
  const std::string encoded = base64_encode(body);
  for (size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76) + "\r\n";
  }
  return out;
}

}  // namespace cp::mail
