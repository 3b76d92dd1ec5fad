// Screen: the device clipboard and its listeners (scrcpy clipboard sync, copy/cut/paste).
#include "devicesim/screen.h"
#include "devicesim/screen_ui.h"

namespace cp::devicesim {

std::string Screen::clipboard() const {
  std::lock_guard lock(mu_);
  return state_->clipboard;
}

void Screen::set_clipboard(const std::string& text) {
  {
    std::lock_guard lock(mu_);
    if (state_->clipboard == text) {
      return;
    }
    state_->clipboard = text;
  }
  notify_clipboard(text);
}

void Screen::paste() {
  std::string clip;
  {
    std::lock_guard lock(mu_);
    clip = state_->clipboard;
  }
  text(clip);
}

void Screen::copy_focused_text(bool cut) {
  std::string copied;
  {
    std::lock_guard lock(mu_);
    auto& s = *state_;
    std::string& field = s.view == View::kApp ? s.sessions[s.foreground].text : s.search_text;
    copied = field;
    if (cut) {
      field.clear();
      mark_dirty_locked();
    }
  }
  set_clipboard(copied);
}

int Screen::subscribe_clipboard(std::function<void(const std::string&)> listener) {
  std::lock_guard lock(listeners_mu_);
  clipboard_listeners_[next_listener_id_] = std::move(listener);
  return next_listener_id_++;
}

void Screen::unsubscribe_clipboard(int id) {
  std::lock_guard lock(listeners_mu_);
  clipboard_listeners_.erase(id);
}

void Screen::notify_clipboard(const std::string& text) {
  std::lock_guard lock(listeners_mu_);
  for (const auto& [id, listener] : clipboard_listeners_) {
    listener(text);
  }
}

}  // namespace cp::devicesim
