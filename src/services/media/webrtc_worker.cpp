#include "services/media/webrtc_worker.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <csignal>
#include <mutex>

#include "core/log.h"
#include "services/media/webrtc_sdp.h"
#include "services/media/webrtc_wire.h"

namespace cp::media {
namespace {

// Mirrors of libgstwebrtc's public, ABI-stable 1.x declarations (gst/webrtc/rtcsessiondescription.h
// and webrtc_fwd.h). The -dev package with those headers pulls ~1 GB of OpenCV into the build
// (docs/decisions.md); webrtcbin itself is driven through its GObject signals and properties.
struct SessionDescription {
  int type;  // GstWebRTCSDPType
  GstSDPMessage* sdp;
};
constexpr int kSdpTypeAnswer = 3;       // GST_WEBRTC_SDP_TYPE_ANSWER
constexpr int kDirectionSendOnly = 2;   // GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY
constexpr int kAppLeakyDownstream = 2;  // GST_APP_LEAKY_TYPE_DOWNSTREAM: drop the oldest

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class Worker {
 public:
  explicit Worker(int fd) : fd_(fd) {}

  int run() {
    WireReader reader;
    char buf[64 * 1024];
    while (!done_) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n == 0) break;  // the media service closed the session
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      reader.feed(buf, static_cast<size_t>(n));
      while (auto m = reader.next()) dispatch(*m);
      if (reader.failed()) return fail("malformed message from the media service");
    }
    return done_code_;
  }

 private:
  void send(WireKind kind, std::string_view payload) {
    const auto frame = wire_frame(kind, payload);
    std::lock_guard lock(write_mu_);
    size_t off = 0;
    while (off < frame.size()) {
      const ssize_t n = ::write(fd_, frame.data() + off, frame.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the service is gone; the read loop ends too
      off += static_cast<size_t>(n);
    }
  }

  int fail(const std::string& reason) {
    log_event(spdlog::level::warn, "media-worker", "giving up", {{"reason", reason}});
    send(WireKind::kError, reason);
    done_code_ = 2;
    done_ = true;
    return 2;
  }

  void dispatch(const WireMessage& m) {
    switch (m.kind) {
      case WireKind::kConfig: {
        boost::system::error_code ec;
        auto v = boost::json::parse(m.payload, ec);
        if (!ec && v.is_object()) {
          if (const auto* s = v.as_object().if_contains("stun"); s && s->is_string())
            stun_ = s->as_string();
        }
        break;
      }
      case WireKind::kVideo:
        on_video(m.payload);
        break;
      case WireKind::kSignal:
        on_signal(m.payload);
        break;
      default:
        break;
    }
  }

  void on_video(std::string_view message) {
    if (message.size() <= 9 || done_) return;
    const auto type = static_cast<uint8_t>(message[0]);
    const auto annexb = message.substr(9);
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(annexb.data()),
                                         annexb.size());
    if (type == 1) {  // SPS/PPS: pin the profile; key frames carry their own copy
      if (!webrtc_) {
        if (auto profile = profile_level_id(bytes)) build(*profile);
      }
      return;
    }
    if (type == 2) {
      if (!webrtc_) {
        auto profile = profile_level_id(bytes);
        if (!profile) return;
        build(*profile);
      }
      gated_ = false;
    } else if (gated_ || !webrtc_) {
      return;  // a delta frame is useless before the first key frame
    }
    if (!src_) return;
    gst_app_src_push_buffer(GST_APP_SRC(src_), gst_buffer_new_memdup(annexb.data(), annexb.size()));
  }

  void build(const std::string& profile) {
    GError* error = nullptr;
    pipeline_ = gst_parse_launch(
        "appsrc name=src is-live=true format=time do-timestamp=true block=false "
        "caps=video/x-h264,stream-format=byte-stream,alignment=au ! h264parse ! "
        "rtph264pay name=pay config-interval=-1 aggregate-mode=zero-latency pt=96 mtu=1200 ! "
        "webrtcbin name=webrtc bundle-policy=max-bundle latency=0",
        &error);
    if (error != nullptr) {
      fail(std::string("pipeline: ") + error->message);
      g_error_free(error);
      return;
    }
    src_ = gst_bin_get_by_name(GST_BIN(pipeline_), "src");
    webrtc_ = gst_bin_get_by_name(GST_BIN(pipeline_), "webrtc");
    g_object_set(src_, "max-buffers", guint64{60}, "leaky-type", kAppLeakyDownstream, nullptr);
    if (!stun_.empty()) {
      // RTCIceServer style "stun:host:port" → webrtcbin's "stun://host:port".
      const auto url = stun_.starts_with("stun:") && !stun_.starts_with("stun://")
                           ? "stun://" + stun_.substr(5)
                           : stun_;
      g_object_set(webrtc_, "stun-server", url.c_str(), nullptr);
    }
    GstBus* bus = gst_element_get_bus(pipeline_);
    gst_bus_set_sync_handler(bus, &Worker::on_bus, this, nullptr);
    gst_object_unref(bus);
    g_signal_connect(webrtc_, "on-ice-candidate", G_CALLBACK(&Worker::on_ice_candidate), this);
    g_signal_connect(webrtc_, "notify::ice-connection-state", G_CALLBACK(&Worker::on_ice_state),
                     this);
    // Browser PLI/FIR reach the payloader as an upstream force-key-unit event.
    GstElement* pay = gst_bin_get_by_name(GST_BIN(pipeline_), "pay");
    GstPad* pad = gst_element_get_static_pad(pay, "src");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, &Worker::on_upstream_event, this,
                      nullptr);
    gst_object_unref(pad);
    gst_object_unref(pay);

    if (gst_element_set_state(pipeline_, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
      fail("pipeline refused to play");
      return;
    }
    // Pin H.264 with the device's exact profile-level-id (otherwise webrtcbin may offer before
    // caps arrive, without fmtp, and Chromium answers packetization-mode=0).
    GObject* transceiver = nullptr;
    g_signal_emit_by_name(webrtc_, "get-transceiver", 0, &transceiver);
    if (transceiver == nullptr) {
      fail("no video transceiver");
      return;
    }
    const std::string caps_text =
        "application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000,"
        "packetization-mode=(string)1,profile-level-id=(string)" +
        profile + ",rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true";
    GstCaps* caps = gst_caps_from_string(caps_text.c_str());
    g_object_set(transceiver, "direction", kDirectionSendOnly, "codec-preferences", caps, "do-nack",
                 TRUE, nullptr);
    gst_caps_unref(caps);
    g_object_unref(transceiver);
    // Data channels first, then exactly one offer (on-negotiation-needed is not used: it fires
    // once per m-line and would start overlapping offers).
    input_channel_ = create_channel(
        "input", gst_structure_new("options", "ordered", G_TYPE_BOOLEAN, TRUE, nullptr));
    pointer_channel_ =
        create_channel("pointer", gst_structure_new("options", "ordered", G_TYPE_BOOLEAN, FALSE,
                                                    "max-retransmits", G_TYPE_INT, 0, nullptr));
    if (!input_channel_ || !pointer_channel_) {
      fail("could not create data channels");
      return;
    }
    GstPromise* promise = gst_promise_new_with_change_func(&Worker::on_offer, this, nullptr);
    g_signal_emit_by_name(webrtc_, "create-offer", nullptr, promise);
    log_event(spdlog::level::info, "media-worker", "pipeline started",
              {{"profile_level_id", profile}});
  }

  GObject* create_channel(const char* label, GstStructure* options) {
    GObject* channel = nullptr;
    g_signal_emit_by_name(webrtc_, "create-data-channel", label, options, &channel);
    gst_structure_free(options);
    if (channel != nullptr) {
      g_signal_connect(channel, "on-message-string", G_CALLBACK(&Worker::on_channel_message), this);
    }
    return channel;
  }

  static void on_offer(GstPromise* promise, gpointer self_ptr) {
    auto* self = static_cast<Worker*>(self_ptr);
    const GstStructure* reply = gst_promise_get_reply(promise);
    const GValue* value = reply != nullptr ? gst_structure_get_value(reply, "offer") : nullptr;
    if (value == nullptr || !G_VALUE_HOLDS_BOXED(value)) {
      gst_promise_unref(promise);
      self->fail("webrtcbin created no offer");
      return;
    }
    auto* offer = static_cast<SessionDescription*>(g_value_get_boxed(value));
    g_signal_emit_by_name(self->webrtc_, "set-local-description", offer, nullptr);
    gchar* text = gst_sdp_message_as_text(offer->sdp);
    self->send(WireKind::kSignal,
               boost::json::serialize(boost::json::object{{"t", "offer"}, {"sdp", text}}));
    g_free(text);
    gst_promise_unref(promise);
  }

  void on_signal(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object() || !webrtc_) return;
    const auto& o = v.as_object();
    const auto* t = o.if_contains("t");
    if (t == nullptr || !t->is_string()) return;
    if (t->as_string() == "answer") {
      const auto* sdp_text = o.if_contains("sdp");
      if (sdp_text == nullptr || !sdp_text->is_string()) return;
      // Checked again here: applying a rejected video m-line would abort this process.
      if (auto why = check_answer(sdp_text->as_string()); !why.empty()) {
        fail("answer refused: " + why);
        return;
      }
      GstSDPMessage* sdp = nullptr;
      if (gst_sdp_message_new_from_text(sdp_text->as_string().c_str(), &sdp) != GST_SDP_OK) {
        fail("answer is not valid SDP");
        return;
      }
      SessionDescription answer{kSdpTypeAnswer, sdp};  // copied by the signal's marshaller
      g_signal_emit_by_name(webrtc_, "set-remote-description", &answer, nullptr);
      gst_sdp_message_free(sdp);
    } else if (t->as_string() == "candidate") {
      const auto* c = o.if_contains("candidate");
      const auto* index = o.if_contains("sdpMLineIndex");
      if (c == nullptr || !c->is_string() || c->as_string().empty() || index == nullptr ||
          !index->is_int64())
        return;
      g_signal_emit_by_name(webrtc_, "add-ice-candidate", static_cast<guint>(index->as_int64()),
                            c->as_string().c_str());
    }
  }

  static void on_ice_candidate(GstElement*, guint mline, gchar* candidate, gpointer self_ptr) {
    static_cast<Worker*>(self_ptr)->send(
        WireKind::kSignal,
        boost::json::serialize(boost::json::object{
            {"t", "candidate"}, {"candidate", candidate}, {"sdpMLineIndex", mline}}));
  }

  static void on_ice_state(GstElement* webrtc, GParamSpec*, gpointer self_ptr) {
    int state = 0;
    g_object_get(webrtc, "ice-connection-state", &state, nullptr);
    // Frames sent before ICE connected are lost: start the picture with a fresh IDR at once
    // instead of waiting for the browser's PLI or the device's next key frame.
    if (state == 2) static_cast<Worker*>(self_ptr)->request_key_frame();
    static const char* kNames[] = {"new",    "checking",     "connected", "completed",
                                   "failed", "disconnected", "closed"};
    log_event(spdlog::level::info, "media-worker", "ice state",
              {{"state", state >= 0 && state < 7 ? kNames[state] : "?"}});
  }

  static void on_channel_message(GObject*, gchar* text, gpointer self_ptr) {
    if (text != nullptr) static_cast<Worker*>(self_ptr)->send(WireKind::kInput, text);
  }

  static GstPadProbeReturn on_upstream_event(GstPad*, GstPadProbeInfo* info, gpointer self_ptr) {
    auto* self = static_cast<Worker*>(self_ptr);
    GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
    const GstStructure* s = event != nullptr ? gst_event_get_structure(event) : nullptr;
    if (GST_EVENT_TYPE(event) == GST_EVENT_CUSTOM_UPSTREAM && s != nullptr &&
        gst_structure_has_name(s, "GstForceKeyUnit")) {
      self->request_key_frame();
    }
    return GST_PAD_PROBE_OK;
  }

  void request_key_frame() {
    // PLI and FIR often come in bursts; one device IDR answers them all.
    const auto now = now_ms();
    if (now - last_key_request_ms_.exchange(now) > 250) send(WireKind::kKeyFrame, "");
  }

  static GstBusSyncReply on_bus(GstBus*, GstMessage* message, gpointer self_ptr) {
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
      GError* error = nullptr;
      gst_message_parse_error(message, &error, nullptr);
      auto* self = static_cast<Worker*>(self_ptr);
      self->fail(std::string("pipeline error: ") + (error != nullptr ? error->message : "?"));
      if (error != nullptr) g_error_free(error);
      ::shutdown(self->fd_, SHUT_RD);  // ends the read loop
    }
    return GST_BUS_DROP;
  }

  int fd_;
  std::mutex write_mu_;
  std::atomic<bool> done_{false};
  int done_code_ = 0;
  std::string stun_;
  GstElement* pipeline_ = nullptr;
  GstElement* src_ = nullptr;
  GstElement* webrtc_ = nullptr;
  GObject* input_channel_ = nullptr;
  GObject* pointer_channel_ = nullptr;
  bool gated_ = true;
  std::atomic<int64_t> last_key_request_ms_{0};
};

}  // namespace

int run_webrtc_worker(int fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the media service
  ::signal(SIGPIPE, SIG_IGN);
  gst_init(nullptr, nullptr);
  Worker worker(fd);
  const int code = worker.run();
  // No teardown: a worker is one viewer's process, and the kernel frees it faster and more
  // reliably than a webrtcbin state change to NULL (which can block on its threads).
  ::fflush(nullptr);
  ::_exit(code);
}

void add_webrtc_worker_cli(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("media-worker",
                                 "Internal: one WebRTC viewer, started by the media service");
  cmd->group("");  // not for people
  auto fd = std::make_shared<int>(-1);
  cmd->add_option("--fd", *fd, "socket to the media service")->required();
  cmd->callback([fd, &exit_code] {
    init_logging(
        std::getenv("CP_MEDIA_WORKER_LOG") != nullptr ? std::getenv("CP_MEDIA_WORKER_LOG") : "info",
        true);
    exit_code = run_webrtc_worker(*fd);
  });
}

}  // namespace cp::media
