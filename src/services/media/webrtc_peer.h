#pragma once
// One WebRTC viewer as seen from the media service: a `cloudphone media-worker` child process
// (webrtc_worker.h) and one I/O thread that moves framed messages over a socket pair. To the
// DeviceStream it is just another viewer connection: text (meta, clipboard, ended) goes to the
// browser's signalling WebSocket, binary video messages go to the worker. Nothing here blocks
// the caller: video is queued (bounded; on overflow the peer waits for the next key frame) and
// close() only signals the I/O thread, which reaps the child.
#include <sys/types.h>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/websocket.h"

namespace cp::media {

struct WebRtcPeerOptions {
  std::string worker_exe;     // the cloudphone binary (media.worker_bin, default /proc/self/exe)
  std::string stun_url;       // first media.stun_urls entry for the server side, or empty
  size_t queue_frames = 120;  // hard cap; the ViewerFeed's backlog limit acts well before
};

struct WebRtcPeerCallbacks {
  std::function<void(std::string_view)> on_input;    // a data channel message
  std::function<void()> on_key_frame;                // browser PLI/FIR (or queue overflow)
  std::function<void(const std::string&)> on_ended;  // the worker exited on its own
};

class WebRtcPeer final : public http::WsConnection,
                         public std::enable_shared_from_this<WebRtcPeer> {
 public:
  // Starts the worker; throws std::runtime_error when it cannot.
  static std::shared_ptr<WebRtcPeer> start(const WebRtcPeerOptions& options,
                                           std::shared_ptr<http::WsConnection> signalling,
                                           WebRtcPeerCallbacks callbacks);
  ~WebRtcPeer() override;

  bool send_text(std::string message) override;    // to the browser
  bool send_binary(std::string message) override;  // a video message, to the worker
  void close() override;                           // idempotent, non-blocking
  // Video queued for the worker: the DeviceStream's ViewerFeed thins a viewer that lags.
  Backlog backlog() const override;
  // A checked signalling message (answer/candidate JSON) for the worker.
  void signal(std::string json);
  pid_t pid() const { return pid_; }

 private:
  WebRtcPeer(const WebRtcPeerOptions& options, std::shared_ptr<http::WsConnection> signalling,
             WebRtcPeerCallbacks callbacks);
  void enqueue(std::string frame, bool video);  // mu_ not held
  void run();                                   // the I/O thread
  std::string reap();                           // waits for the child (kills it if needed)

  WebRtcPeerOptions options_;
  std::shared_ptr<http::WsConnection> signalling_;
  WebRtcPeerCallbacks callbacks_;
  pid_t pid_ = -1;
  int sock_ = -1;
  int wake_[2] = {-1, -1};
  mutable std::mutex mu_;
  std::deque<std::string> out_;  // framed messages for the worker
  size_t queued_video_ = 0, queued_bytes_ = 0;
  bool gated_ = false;           // dropping delta frames until the next key frame
  bool want_key_frame_ = false;  // ask the device (done on the I/O thread, outside any lock)
  bool closing_ = false;
};

}  // namespace cp::media
