#pragma once
// A Mailer that keeps messages in memory (unit tests of code that sends mail).
#include <mutex>

#include "platform/mail/mailer.h"

namespace cp::mail {

class MemoryMailer final : public Mailer {
 public:
  void send(const Message& message) override {
    std::lock_guard lock(mu_);
    if (fail_) throw MailError("memory mailer: told to fail");
    sent_.push_back(message);
  }
  std::string describe() const override { return "memory"; }

  std::vector<Message> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  void set_failing(bool fail) {
    std::lock_guard lock(mu_);
    fail_ = fail;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> sent_;
  bool fail_ = false;
};

}  // namespace cp::mail
