#pragma once
// Test-only: a tiny FFmpeg H.264 decoder giving luma planes, shared by the simulator's screen,
// encoder and scrcpy tests and the scrcpy client's integration test.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
}

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cp::devicesim::testing {

// A decoded picture's luma plane.
struct LumaPicture {
  int width = 0, height = 0;
  std::vector<uint8_t> y;
  int at(int x, int yy) const { return y[static_cast<size_t>(yy) * width + x]; }
};

class H264TestDecoder {
 public:
  H264TestDecoder() {
    ctx_ = avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264));
    if (ctx_ == nullptr || avcodec_open2(ctx_, ctx_->codec, nullptr) < 0) {
      throw std::runtime_error("no H.264 decoder");
    }
    frame_ = av_frame_alloc();
    packet_ = av_packet_alloc();
  }
  ~H264TestDecoder() {
    av_packet_free(&packet_);
    av_frame_free(&frame_);
    avcodec_free_context(&ctx_);
  }
  // Feeds one access unit (Annex-B); returns the pictures it produced.
  std::vector<LumaPicture> decode(const std::vector<uint8_t>& annexb) {
    std::vector<uint8_t> padded(annexb);
    padded.resize(annexb.size() + AV_INPUT_BUFFER_PADDING_SIZE, 0);
    packet_->data = padded.data();
    packet_->size = static_cast<int>(annexb.size());
    std::vector<LumaPicture> out;
    if (avcodec_send_packet(ctx_, packet_) < 0) {
      throw std::runtime_error("decoder rejected a packet");
    }
    while (avcodec_receive_frame(ctx_, frame_) == 0) {
      LumaPicture pic{frame_->width, frame_->height, {}};
      pic.y.resize(static_cast<size_t>(pic.width) * pic.height);
      for (int row = 0; row < pic.height; ++row) {
        std::copy_n(frame_->data[0] + static_cast<ptrdiff_t>(row) * frame_->linesize[0], pic.width,
                    pic.y.begin() + static_cast<ptrdiff_t>(row) * pic.width);
      }
      out.push_back(std::move(pic));
    }
    return out;
  }

 private:
  AVCodecContext* ctx_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
};

}  // namespace cp::devicesim::testing
