#pragma once
// Outgoing email. One small interface with a real SMTP implementation (smtp_mailer.h) and an
// in-memory one for unit tests (memory_mailer.h). send() blocks for a network round trip or
// more: call it from a worker thread (a JobQueue), never from an I/O thread or inside a
// database transaction.
#include <stdexcept>
#include <string>
#include <vector>

namespace cp::mail {

struct Message {
  std::string from;             // "cloudphone <no-reply@example.com>" or a bare address
  std::vector<std::string> to;  // bare addresses
  std::string subject;          // UTF-8
  std::string text;             // UTF-8 plain text body, '\n' line ends
};

// The mail could not be handed to the server (connect, TLS, AUTH, a rejected recipient...).
class MailError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Throws MailError when the message was not accepted.
  virtual void send(const Message& message) = 0;
  // For logs: "smtp://127.0.0.1:2525", "memory".
  virtual std::string describe() const = 0;
};

// The bare address inside "Name <addr>" (or the whole text when there are no brackets).
std::string bare_address(const std::string& mailbox);

// RFC 5322 text of the message (CRLF line ends): Date, Message-ID, MIME UTF-8 headers with
// RFC 2047 encoded subject, base64 body. `date` is an RFC 5322 date, `message_id` "<...@...>".
std::string render_message(const Message& message, const std::string& date,
                           const std::string& message_id);

std::string base64_encode(std::string_view bytes);

}  // namespace cp::mail
