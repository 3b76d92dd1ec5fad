#include "platform/mail/smtp_mailer.h"

#include <curl/curl.h>
#include <openssl/rand.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include "core/config.h"
#include "core/digest.h"

namespace cp::mail {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string rfc5322_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string new_message_id(const std::string& from) {
  unsigned char random[16];
  RAND_bytes(random, sizeof random);
  std::string address = bare_address(from);
  auto at = address.find('@');
  std::string domain = at == std::string::npos ? "cloudphone.local" : address.substr(at + 1);
  return "<" + to_hex(std::string_view(reinterpret_cast<char*>(random), sizeof random)) + "@" +
         domain + ">";
}

struct Payload {
  std::string data;
  size_t offset = 0;
};

size_t read_payload(char* buffer, size_t size, size_t count, void* user) {
  auto* p = static_cast<Payload*>(user);
  size_t n = std::min(size * count, p->data.size() - p->offset);
  std::memcpy(buffer, p->data.data() + p->offset, n);
  p->offset += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

SmtpSettings SmtpSettings::from_config(const Config& c) {
  SmtpSettings s;
  s.url = c.get("smtp.url");
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0) {
    throw std::invalid_argument("smtp.url must start with smtp:// or smtps://");
  }
  s.username = c.get("smtp.username");
  s.password = c.get("smtp.password");
  const std::string tls = c.get("smtp.tls", "try");
  if (tls == "try") {
    s.tls = TlsMode::try_starttls;
  } else if (tls == "require") {
    s.tls = TlsMode::require;
  } else if (tls == "none") {
    s.tls = TlsMode::none;
  } else {
    throw std::invalid_argument("smtp.tls must be try, require or none");
  }
  s.ca_file = c.get("smtp.ca_file");
  s.timeout = c.get_ms("smtp.timeout_ms", std::chrono::milliseconds(10000));
  return s;
}

SmtpMailer::SmtpMailer(SmtpSettings settings) : settings_(std::move(settings)) {
  global_init_once();
}

void SmtpMailer::send(const Message& message) {
  if (message.to.empty()) throw MailError("no recipients");
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw MailError("curl_easy_init failed");
  CURL* h = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  Payload payload{render_message(message, rfc5322_now(), new_message_id(message.from))};
  std::unique_ptr<curl_slist, ListDeleter> rcpt;
  for (const auto& to : message.to) {
    curl_slist* next = curl_slist_append(rcpt.get(), ("<" + bare_address(to) + ">").c_str());
    if (!next) throw MailError("out of memory");
    rcpt.release();
    rcpt.reset(next);
  }
  const std::string from = "<" + bare_address(message.from) + ">";
  const long timeout_ms = static_cast<long>(settings_.timeout.count());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for timeouts
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  const long ssl = settings_.tls == TlsMode::require ? CURLUSESSL_ALL
                   : settings_.tls == TlsMode::none  ? CURLUSESSL_NONE
                                                     : CURLUSESSL_TRY;
  curl_easy_setopt(h, CURLOPT_USE_SSL, ssl);
  if (!settings_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(h, CURLOPT_READDATA, &payload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    std::string why = error[0] ? error : curl_easy_strerror(rc);
    if (code != 0) why += " (last SMTP reply " + std::to_string(code) + ")";
    throw MailError("smtp " + settings_.url + ": " + why);
  }
}

}  // namespace cp::mail
