#pragma once
// The pipe between the media service and a WebRTC worker process (one per viewer): length-framed
// messages on a stream socket, 1 byte kind + 4 bytes big-endian length + payload. Video payloads
// are the WebSocket video messages unchanged (viewer_feed.h), signalling payloads are JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cp::media {

enum class WireKind : char {
  kConfig = 'C',    // service → worker: JSON {session, stun}
  kVideo = 'V',     // service → worker: a video message (type, pts, Annex-B)
  kSignal = 'S',    // both ways: JSON {t: offer|answer|candidate, ...}
  kInput = 'I',     // worker → service: a data channel message (input JSON, as on the WebSocket)
  kKeyFrame = 'K',  // worker → service: the browser asked for a key frame (PLI/FIR)
  kError = 'E',     // worker → service: why the worker gives up (it exits next)
};

inline constexpr size_t kWireHeaderSize = 5;
inline constexpr size_t kMaxWirePayload = 16 * 1024 * 1024;  // a key frame is far smaller

std::string wire_frame(WireKind kind, std::string_view payload);

struct WireMessage {
  WireKind kind;
  std::string payload;
};

// Incremental reader: feed() what the socket gave, then next() until it returns nullopt.
class WireReader {
 public:
  void feed(const char* data, size_t size) { buffer_.append(data, size); }
  std::optional<WireMessage> next();
  // A frame announced a payload larger than kMaxWirePayload or an unknown kind: the peer is broken.
  bool failed() const { return failed_; }

 private:
  std::string buffer_;
  size_t offset_ = 0;
  bool failed_ = false;
};

}  // namespace cp::media
