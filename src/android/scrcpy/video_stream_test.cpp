#include "android/scrcpy/video_stream.h"

#include <gtest/gtest.h>

#include "android/scrcpy/protocol.h"

namespace cp::scrcpy {
namespace {

using Bytes = std::vector<uint8_t>;

void append(Bytes& out, const Bytes& b) {
  out.insert(out.end(), b.begin(), b.end());
}

TEST(VideoStream, WriterLayouts) {
  const auto meta = encode_device_meta("Pixel");
  ASSERT_EQ(meta.size(), 64u);
  EXPECT_EQ(meta[0], 'P');
  EXPECT_EQ(meta[5], 0);
  EXPECT_EQ(encode_device_meta(std::string(100, 'x'))[63], 0);  // always NUL-terminated
  EXPECT_EQ(encode_codec_meta({kCodecH264, 720, 1280}),
            (Bytes{0x68, 0x32, 0x36, 0x34, 0, 0, 2, 0xD0, 0, 0, 5, 0}));
  EXPECT_EQ(encode_packet_header(true, false, 999, 5),
            (Bytes{0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5}));
  EXPECT_EQ(encode_packet_header(false, true, 0x0102, 0x100),
            (Bytes{0x40, 0, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 1, 0}));
}

Bytes full_stream() {
  Bytes s{0};
  append(s, encode_device_meta("Cloudphone Simulator"));
  append(s, encode_codec_meta({kCodecH264, 720, 1280}));
  append(s, encode_packet_header(true, false, 0, 3));
  append(s, Bytes{1, 2, 3});
  append(s, encode_packet_header(false, true, 33333, 2));
  append(s, Bytes{4, 5});
  return s;
}

TEST(VideoDemuxer, ParsesByteByByte) {
  const auto stream = full_stream();
  VideoDemuxer demuxer;
  std::vector<VideoEvent> events;
  for (uint8_t b : stream) {
    demuxer.feed(Bytes{b});
    while (auto e = demuxer.next()) {
      events.push_back(std::move(*e));
    }
  }
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(std::get<DeviceMeta>(events[0]).name, "Cloudphone Simulator");
  EXPECT_EQ(std::get<CodecMeta>(events[1]), (CodecMeta{kCodecH264, 720, 1280}));
  const auto& config = std::get<VideoPacket>(events[2]);
  EXPECT_TRUE(config.config);
  EXPECT_EQ(config.data, (Bytes{1, 2, 3}));
  const auto& key = std::get<VideoPacket>(events[3]);
  EXPECT_FALSE(key.config);
  EXPECT_TRUE(key.key_frame);
  EXPECT_EQ(key.pts_us, 33333);
  EXPECT_EQ(key.data, (Bytes{4, 5}));
}

TEST(VideoDemuxer, RejectsNonsense) {
  {
    VideoDemuxer d;
    d.feed(Bytes{1});
    EXPECT_THROW(d.next(), ProtocolError);  // dummy byte must be 0
  }
  {
    VideoDemuxer d({.dummy_byte = false, .device_meta = false});
    d.feed(encode_codec_meta({kCodecH264, 0, 1280}));
    EXPECT_THROW(d.next(), ProtocolError);
  }
  {
    VideoDemuxer d({.dummy_byte = false, .device_meta = false});
    d.feed(encode_codec_meta({0x12345678, 720, 1280}));
    EXPECT_THROW(d.next(), ProtocolError);
  }
  {
    VideoDemuxer d({.dummy_byte = false, .device_meta = false, .codec_meta = false});
    d.feed(encode_packet_header(false, false, 0, 0));
    EXPECT_THROW(d.next(), ProtocolError);  // size 0
    VideoDemuxer huge({.dummy_byte = false, .device_meta = false, .codec_meta = false});
    huge.feed(encode_packet_header(false, false, 0, 0xFFFFFFFF));
    EXPECT_THROW(huge.next(), ProtocolError);
  }
}

TEST(VideoDemuxer, DisabledAndRawStreams) {
  VideoDemuxer d({.dummy_byte = false, .device_meta = false});
  d.feed(encode_codec_meta({kCodecDisabled, 0, 0}));
  EXPECT_EQ(std::get<CodecMeta>(*d.next()).codec_id, kCodecDisabled);
  VideoDemuxer raw({false, false, false, false});
  raw.feed(Bytes{0, 0, 0, 1, 0x67});
  const auto packet = std::get<VideoPacket>(*raw.next());
  EXPECT_EQ(packet.data.size(), 5u);
  EXPECT_FALSE(raw.next());
}

}  // namespace
}  // namespace cp::scrcpy
