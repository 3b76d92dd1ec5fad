#include "services/media/mp4_mux.h"

#include <algorithm>
#include <string>

#include "services/media/h264.h"

namespace cp::media {
namespace {

constexpr uint32_t kTimescale = 90'000;  // media timescale (the usual one for video)
constexpr uint32_t kMovieTimescale = 1000;

// NAL units of an Annex-B buffer, without start codes.
std::vector<std::span<const uint8_t>> split_nals(std::span<const uint8_t> b) {
  std::vector<std::span<const uint8_t>> out;
  size_t i = 0, start = SIZE_MAX;
  while (i + 2 < b.size()) {
    if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
      if (start != SIZE_MAX) {
        size_t end = i;
        while (end > start && b[end - 1] == 0) --end;  // trailing zero of a 4-byte start code
        out.push_back(b.subspan(start, end - start));
      }
      i += 3;
      start = i;
    } else {
      ++i;
    }
  }
  if (start != SIZE_MAX && start < b.size()) out.push_back(b.subspan(start));
  std::erase_if(out, [](const auto& n) { return n.empty(); });
  return out;
}

class Box {
 public:
  explicit Box(const char* type) {
    data_.reserve(64);
    u32(0);  // the size, patched by done()
    for (int i = 0; i < 4; ++i) u8(static_cast<uint8_t>(type[i]));
  }
  Box& u8(uint8_t v) {
    data_.push_back(v);
    return *this;
  }
  Box& u16(uint16_t v) { return u8(v >> 8).u8(v & 0xff); }
  Box& u32(uint32_t v) { return u16(v >> 16).u16(v & 0xffff); }
  Box& u64(uint64_t v) { return u32(v >> 32).u32(v & 0xffffffff); }
  Box& full(uint8_t version, uint32_t flags) {
    return u8(version).u8(flags >> 16).u16(flags & 0xffff);
  }
  Box& bytes(std::span<const uint8_t> b) {
    data_.insert(data_.end(), b.begin(), b.end());
    return *this;
  }
  Box& zeros(size_t n) {
    data_.insert(data_.end(), n, 0);
    return *this;
  }
  Box& matrix() {
    for (uint32_t v : {0x00010000u, 0u, 0u, 0u, 0x00010000u, 0u, 0u, 0u, 0x40000000u}) u32(v);
    return *this;
  }
  Box& child(const Box& b) { return bytes(b.done()); }
  std::vector<uint8_t> done() const {
    auto out = data_;
    const auto n = static_cast<uint32_t>(out.size());
    out[0] = n >> 24;
    out[1] = (n >> 16) & 0xff;
    out[2] = (n >> 8) & 0xff;
    out[3] = n & 0xff;
    return out;
  }

 private:
  std::vector<uint8_t> data_;
};

uint64_t to_scale(int64_t us, uint32_t scale) {
  return static_cast<uint64_t>(std::max<int64_t>(0, us)) * scale / 1'000'000;
}

}  // namespace

Mp4Writer::Mp4Writer(std::filesystem::path spool) : spool_path_(std::move(spool)) {
  spool_.open(spool_path_, std::ios::binary | std::ios::trunc);
  if (!spool_) throw Mp4Error("cannot create " + spool_path_.string());
}

Mp4Writer::~Mp4Writer() {
  spool_.close();
  std::error_code ec;
  std::filesystem::remove(spool_path_, ec);
}

bool Mp4Writer::take_parameter_sets(std::span<const uint8_t> annexb) {
  for (const auto& nal : split_nals(annexb)) {
    const int type = nal[0] & 0x1f;
    if (type != 7 && type != 8) continue;
    auto& target = type == 7 ? sps_ : pps_;
    std::vector<uint8_t> value(nal.begin(), nal.end());
    if (!sizes_.empty() && target != value) return false;  // mid-file change: not this file
    target = std::move(value);
  }
  if (sizes_.empty() && !sps_.empty()) {
    std::vector<uint8_t> annex = {0, 0, 0, 1};
    annex.insert(annex.end(), sps_.begin(), sps_.end());
    if (auto size = sps_frame_size(annex)) {
      width_ = size->width;
      height_ = size->height;
    }
  }
  return true;
}

void Mp4Writer::set_config(std::span<const uint8_t> annexb) {
  if (!take_parameter_sets(annexb)) params_changed_ = true;
}

bool Mp4Writer::add(std::span<const uint8_t> annexb, bool key_frame, int64_t pts_us) {
  if (params_changed_) return false;
  if (sizes_.empty() && !key_frame) return false;
  if (!take_parameter_sets(annexb)) {
    params_changed_ = true;
    return false;
  }
  if (sps_.empty() || pps_.empty() || width_ == 0) return false;
  if (!pts_.empty() && pts_us <= pts_.back()) pts_us = pts_.back() + 1;
  uint32_t size = 0;
  for (const auto& nal : split_nals(annexb)) {
    const int type = nal[0] & 0x1f;
    if (type == 7 || type == 8 || type == 9) continue;  // SPS/PPS in avcC; AUDs are noise
    const auto n = static_cast<uint32_t>(nal.size());
    const char len[4] = {char(n >> 24), char((n >> 16) & 0xff), char((n >> 8) & 0xff),
                         char(n & 0xff)};
    spool_.write(len, 4);
    spool_.write(reinterpret_cast<const char*>(nal.data()),
                 static_cast<std::streamsize>(nal.size()));
    size += 4 + n;
  }
  if (!spool_) throw Mp4Error("writing " + spool_path_.string() + " failed");
  if (size == 0) return false;
  sizes_.push_back(size);
  pts_.push_back(pts_us);
  if (key_frame) sync_.push_back(static_cast<uint32_t>(sizes_.size()));
  mdat_bytes_ += size;
  return true;
}

int64_t Mp4Writer::duration_us(int64_t end_pts_us) const {
  if (pts_.empty()) return 0;
  return std::max<int64_t>(end_pts_us, pts_.back() + 1000) - pts_.front();
}

void Mp4Writer::finish(const std::filesystem::path& out, int64_t end_pts_us) {
  if (sizes_.empty()) throw Mp4Error("no video was recorded");
  spool_.flush();
  if (!spool_) throw Mp4Error("writing " + spool_path_.string() + " failed");
  // Sample durations from PTS deltas, in the media timescale, run-length coded for stts.
  const int64_t end = std::max<int64_t>(end_pts_us, pts_.back() + 1000);
  std::vector<std::pair<uint32_t, uint32_t>> stts;  // count, delta
  uint64_t media_duration = 0;
  for (size_t i = 0; i < pts_.size(); ++i) {
    const int64_t next = i + 1 < pts_.size() ? pts_[i + 1] : end;
    const auto delta = static_cast<uint32_t>(
        std::max<uint64_t>(1, to_scale(next, kTimescale) - to_scale(pts_[i], kTimescale)));
    media_duration += delta;
    if (!stts.empty() && stts.back().second == delta) {
      ++stts.back().first;
    } else {
      stts.emplace_back(1, delta);
    }
  }
  const uint64_t movie_duration = media_duration * kMovieTimescale / kTimescale;

  Box avcc("avcC");
  avcc.u8(1).u8(sps_[1]).u8(sps_[2]).u8(sps_[3]).u8(0xff).u8(0xe1);
  avcc.u16(static_cast<uint16_t>(sps_.size())).bytes(sps_);
  avcc.u8(1).u16(static_cast<uint16_t>(pps_.size())).bytes(pps_);
  Box avc1("avc1");
  avc1.zeros(6)
      .u16(1)
      .zeros(16)
      .u16(static_cast<uint16_t>(width_))
      .u16(static_cast<uint16_t>(height_));
  avc1.u32(0x00480000).u32(0x00480000).u32(0).u16(1).zeros(32).u16(0x0018).u16(0xffff).child(avcc);
  Box stsd("stsd");
  stsd.full(0, 0).u32(1).child(avc1);
  Box stts_box("stts");
  stts_box.full(0, 0).u32(static_cast<uint32_t>(stts.size()));
  for (auto [count, delta] : stts) stts_box.u32(count).u32(delta);
  Box stss("stss");
  stss.full(0, 0).u32(static_cast<uint32_t>(sync_.size()));
  for (auto s : sync_) stss.u32(s);
  Box stsz("stsz");
  stsz.full(0, 0).u32(0).u32(static_cast<uint32_t>(sizes_.size()));
  for (auto s : sizes_) stsz.u32(s);
  Box stsc("stsc");  // one chunk holding every sample
  stsc.full(0, 0).u32(1).u32(1).u32(static_cast<uint32_t>(sizes_.size())).u32(1);

  Box ftyp("ftyp");
  for (const char* b : {"isom", "\0\0\2\0", "isom", "iso2", "avc1", "mp41"}) {
    ftyp.bytes(std::span(reinterpret_cast<const uint8_t*>(b), 4));
  }
  const auto ftyp_bytes = ftyp.done();

  // moov's size does not depend on the chunk offset (co64 is fixed size): build it twice.
  auto build_moov = [&](uint64_t chunk_offset) {
    Box co64("co64");
    co64.full(0, 0).u32(1).u64(chunk_offset);
    Box stbl("stbl");
    stbl.child(stsd).child(stts_box).child(stss).child(stsz).child(stsc).child(co64);
    Box dref("dref");
    dref.full(0, 0).u32(1).child(Box("url ").full(0, 1));
    Box dinf("dinf");
    dinf.child(dref);
    Box vmhd("vmhd");
    vmhd.full(0, 1).zeros(8);
    Box minf("minf");
    minf.child(vmhd).child(dinf).child(stbl);
    Box mdhd("mdhd");
    mdhd.full(1, 0).u64(0).u64(0).u32(kTimescale).u64(media_duration).u16(0x55c4).u16(0);
    Box hdlr("hdlr");
    const char handler[] = "VideoHandler";
    hdlr.full(0, 0).u32(0).bytes(std::span(reinterpret_cast<const uint8_t*>("vide"), 4)).zeros(12);
    hdlr.bytes(std::span(reinterpret_cast<const uint8_t*>(handler), sizeof handler));
    Box mdia("mdia");
    mdia.child(mdhd).child(hdlr).child(minf);
    Box tkhd("tkhd");
    tkhd.full(1, 3)
        .u64(0)
        .u64(0)
        .u32(1)
        .u32(0)
        .u64(movie_duration)
        .zeros(8)
        .u16(0)
        .u16(0)
        .u16(0)
        .u16(0);
    tkhd.matrix()
        .u32(static_cast<uint32_t>(width_) << 16)
        .u32(static_cast<uint32_t>(height_) << 16);
    Box trak("trak");
    trak.child(tkhd).child(mdia);
    Box mvhd("mvhd");
    mvhd.full(1, 0)
        .u64(0)
        .u64(0)
        .u32(kMovieTimescale)
        .u64(movie_duration)
        .u32(0x00010000)
        .u16(0x0100);
    mvhd.zeros(10).matrix().zeros(24).u32(2);
    Box moov("moov");
    moov.child(mvhd).child(trak);
    return moov.done();
  };
  const size_t moov_size = build_moov(0).size();
  const uint64_t mdat_header = 16;  // 64-bit size form: no 4 GiB limit
  const auto moov = build_moov(ftyp_bytes.size() + moov_size + mdat_header);

  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(ftyp_bytes.data()),
          static_cast<std::streamsize>(ftyp_bytes.size()));
  f.write(reinterpret_cast<const char*>(moov.data()), static_cast<std::streamsize>(moov.size()));
  Box mdat_head("mdat");
  auto head = mdat_head.done();
  head[0] = head[1] = head[2] = 0;
  head[3] = 1;  // size 1: a 64-bit size follows
  const uint64_t total = mdat_header + mdat_bytes_;
  for (int shift = 56; shift >= 0; shift -= 8) head.push_back(static_cast<uint8_t>(total >> shift));
  f.write(reinterpret_cast<const char*>(head.data()), static_cast<std::streamsize>(head.size()));
  std::ifstream in(spool_path_, std::ios::binary);
  f << in.rdbuf();
  f.flush();
  if (!f) throw Mp4Error("writing " + out.string() + " failed");
}

}  // namespace cp::media
