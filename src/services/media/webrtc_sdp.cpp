#include "services/media/webrtc_sdp.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

namespace cp::media {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

struct Section {
  std::string_view media, port;
  std::vector<std::string_view> formats;
  std::vector<std::string_view> attributes;
};

}  // namespace

std::optional<std::string> profile_level_id(std::span<const uint8_t> annexb) {
  // Find a start code followed by a NAL of type 7 with at least 3 payload bytes.
  for (size_t i = 0; i + 3 < annexb.size(); ++i) {
    if (annexb[i] != 0 || annexb[i + 1] != 0 || annexb[i + 2] != 1) continue;
    const size_t nal = i + 3;
    if ((annexb[nal] & 0x1f) != 7 || nal + 3 >= annexb.size()) continue;
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (size_t k = 1; k <= 3; ++k) {
      out.push_back(kHex[annexb[nal + k] >> 4]);
      out.push_back(kHex[annexb[nal + k] & 0xf]);
    }
    return out;
  }
  return std::nullopt;
}

std::string check_answer(std::string_view sdp, int pt) {
  if (sdp.empty()) return "empty answer";
  if (sdp.size() > 64 * 1024) return "answer too large";
  std::vector<Section> sections;
  bool version = false;
  for (auto line : split_lines(sdp)) {
    if (line == "v=0") version = true;
    if (line.starts_with("m=")) {
      auto w = words(line.substr(2));
      if (w.size() < 3) return "malformed m-line";
      Section s{w[0], w[1], {w.begin() + 3, w.end()}, {}};
      sections.push_back(std::move(s));
    } else if (line.starts_with("a=") && !sections.empty()) {
      sections.back().attributes.push_back(line.substr(2));
    }
  }
  if (!version) return "not an SDP (no v=0)";
  const std::string ptext = std::to_string(pt);
  int videos = 0;
  bool application = false;
  for (const auto& s : sections) {
    if (s.media == "application") {
      if (s.port == "0") return "data channels rejected";
      application = true;
      continue;
    }
    if (s.media != "video") continue;
    ++videos;
    if (s.port == "0") return "video rejected";
    if (std::find(s.formats.begin(), s.formats.end(), ptext) == s.formats.end()) {
      return "H.264 payload " + ptext + " missing from the video m-line";
    }
    bool h264 = false;
    for (auto a : s.attributes) {
      if (a.starts_with("rtpmap:" + ptext + " ")) {
        auto codec = a.substr(7 + ptext.size() + 1);
        h264 = iequals(codec, "H264/90000");
      }
      if (a.starts_with("fmtp:" + ptext + " ") &&
          a.find("packetization-mode=1") == std::string_view::npos) {
        return "H.264 answered without packetization-mode=1";
      }
    }
    if (!h264) return "payload " + ptext + " is not H264/90000";
  }
  if (videos != 1) return "expected one video m-line, got " + std::to_string(videos);
  if (!application) return "no data channel m-line";
  return {};
}

}  // namespace cp::media
