// Screen: turning the state into frames, only when something visible changed.
#include <cstring>
#include <ctime>

#include "devicesim/screen.h"
#include "devicesim/screen_ui.h"

namespace cp::devicesim {
namespace {

std::string clock_text() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[8];
  std::strftime(buf, sizeof buf, "%H:%M", &local);
  return buf;
}

void render_into(Frame& frame, const ScreenState& s, const std::string& clock) {
  frame.width = s.width;
  frame.height = s.height;
  frame.stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, s.width);
  frame.bgra.resize(static_cast<size_t>(frame.stride) * s.height);
  SurfacePtr surface(cairo_image_surface_create_for_data(frame.bgra.data(), CAIRO_FORMAT_ARGB32,
                                                         s.width, s.height, frame.stride));
  cairo_t* cr = cairo_create(surface.get());
  if (!s.screen_on) {
    cairo_set_source_rgb(cr, 0, 0, 0);  // a switched-off panel is black
    cairo_paint(cr);
  } else {
    const ScreenLayout layout(s);
    switch (s.view) {
      case View::kHome:
        paint_launcher(cr, s, layout.content);
        break;
      case View::kApp:
        paint_app_window(cr, s, layout.content);
        break;
      case View::kRecents:
        paint_recents(cr, s, layout.content);
        break;
    }
    paint_status_bar(cr, s, layout.status_bar, clock);
    paint_nav_bar(cr, s, layout.nav_bar);
    paint_touch_feedback(cr, s, Clock::now());
  }
  cairo_destroy(cr);
  cairo_surface_flush(surface.get());
}

cairo_status_t append_png_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

bool Screen::needs_render_locked() const {
  return dirty_ || !state_->ripples.empty() || !current_ ||
         (state_->screen_on && rendered_clock_ != clock_text());
}

std::shared_ptr<const Frame> Screen::frame() {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  std::erase_if(state_->ripples, [&](const Ripple& r) { return now - r.start > kRippleLifetime; });
  if (!needs_render_locked()) {
    return current_;
  }
  // Reuse the previous-but-one buffer when no consumer holds it any more (saves a 3.5 MB
  // allocation and its page faults per frame).
  std::shared_ptr<Frame> target =
      spare_ && spare_.use_count() == 1 ? spare_ : std::make_shared<Frame>();
  rendered_clock_ = clock_text();
  render_into(*target, *state_, rendered_clock_);
  target->generation = ++generation_;
  spare_ = current_;
  current_ = target;
  dirty_ = false;
  return current_;
}

bool Screen::wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout,
                           [&] { return generation_ != seen || needs_render_locked(); });
}

std::vector<uint8_t> Screen::screenshot_png() {
  const auto f = frame();
  // screencap shows what is on the panel: copy so the PNG writer never races a reused buffer.
  std::vector<uint8_t> pixels = f->bgra;
  SurfacePtr surface(cairo_image_surface_create_for_data(pixels.data(), CAIRO_FORMAT_RGB24,
                                                         f->width, f->height, f->stride));
  std::vector<uint8_t> png;
  cairo_surface_write_to_png_stream(surface.get(), append_png_bytes, &png);
  return png;
}

}  // namespace cp::devicesim
