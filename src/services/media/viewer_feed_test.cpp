#include "services/media/viewer_feed.h"

#include <gtest/gtest.h>

#include <vector>

namespace cp::media {
namespace {

ViewerFeed::Message msg(const std::string& s) {
  return std::make_shared<const std::string>(s);
}

std::vector<std::string> drain(ViewerFeed& f) {
  std::vector<std::string> out;
  while (auto m = f.pop()) out.push_back(**m);
  return out;
}

TEST(VideoMessage, HeaderIsTypeThenBigEndianPts) {
  const std::vector<uint8_t> au{0, 0, 0, 1, 0x65};
  const auto m = encode_video_message(FrameType::kKey, 0x0102030405060708, au);
  ASSERT_EQ(m.size(), kVideoHeaderSize + au.size());
  EXPECT_EQ(m[0], 0x02);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(static_cast<uint8_t>(m[1 + i]), i + 1);
  EXPECT_EQ(static_cast<uint8_t>(m[13]), 0x65);
  EXPECT_EQ(static_cast<uint8_t>(encode_video_message(FrameType::kConfig, -1, {})[8]), 0xff);
}

TEST(ViewerFeed, NewViewerGetsConfigButNoDeltaBeforeTheKeyFrame) {
  ViewerFeed f(8);
  EXPECT_TRUE(f.gated());
  EXPECT_EQ(f.offer(FrameType::kConfig, msg("c")), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d0")), ViewerFeed::Offer::kGated);
  EXPECT_EQ(f.offer(FrameType::kKey, msg("k")), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d1")), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(drain(f), (std::vector<std::string>{"c", "k", "d1"}));
  EXPECT_EQ(f.dropped(), 1u);
}

TEST(ViewerFeed, KeyframeRequestGatesDeltasAgain) {
  ViewerFeed f(8);
  f.offer(FrameType::kKey, msg("k"));
  f.wait_for_key_frame();
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d")), ViewerFeed::Offer::kGated);
  f.offer(FrameType::kKey, msg("k2"));
  f.offer(FrameType::kDelta, msg("d2"));
  EXPECT_EQ(drain(f), (std::vector<std::string>{"k", "k2", "d2"}));
}

TEST(ViewerFeed, SlowViewerOverflowDropsToTheNextKeyFrame) {
  ViewerFeed f(3);
  f.offer(FrameType::kKey, msg("k"));
  f.offer(FrameType::kDelta, msg("d1"));
  f.offer(FrameType::kDelta, msg("d2"));
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d3")), ViewerFeed::Offer::kOverflow);
  EXPECT_EQ(f.queued(), 0u);
  EXPECT_TRUE(f.gated());
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d4")), ViewerFeed::Offer::kGated);
  EXPECT_EQ(f.offer(FrameType::kKey, msg("k2")), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(drain(f), (std::vector<std::string>{"k2"}));
  EXPECT_EQ(f.dropped(), 5u);  // k, d1, d2 flushed; d3, d4 dropped
}

TEST(ViewerFeed, KeyFrameIntoAFullQueueReplacesTheStaleFrames) {
  ViewerFeed f(2);
  f.offer(FrameType::kKey, msg("k"));
  f.offer(FrameType::kDelta, msg("d1"));
  EXPECT_EQ(f.offer(FrameType::kKey, msg("k2")), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(drain(f), (std::vector<std::string>{"k2"}));
  EXPECT_FALSE(f.gated());
}

TEST(ViewerFeed, IndependentViewersDoNotAffectEachOther) {
  ViewerFeed fast(2), slow(2);
  for (auto* f : {&fast, &slow}) f->offer(FrameType::kKey, msg("k"));
  for (int i = 0; i < 10; ++i) {
    const auto m = msg("d" + std::to_string(i));
    fast.offer(FrameType::kDelta, m);
    slow.offer(FrameType::kDelta, m);
    fast.pop();  // the fast one keeps up; the slow one never reads
  }
  EXPECT_EQ(fast.dropped(), 0u);
  EXPECT_GT(slow.dropped(), 0u);
  EXPECT_TRUE(slow.gated());
}

}  // namespace
}  // namespace cp::media

namespace cp::media {
namespace {

TEST(ViewerFeedBacklog, StalledSocketDropsEverythingThenAsksForOneKeyFrame) {
  ViewerFeed f(8, {1000, 5});
  EXPECT_EQ(f.offer(FrameType::kKey, msg("k"), 0, 0), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d1"), 900, 4), ViewerFeed::Offer::kQueued);
  drain(f);
  // The socket stopped draining: deltas and key frames are both dropped, nothing is queued.
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d2"), 1001, 5), ViewerFeed::Offer::kCongested);
  EXPECT_EQ(f.offer(FrameType::kKey, msg("k2"), 5000, 6), ViewerFeed::Offer::kCongested);
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d3"), 10, 6), ViewerFeed::Offer::kCongested);
  EXPECT_TRUE(f.congested());
  EXPECT_EQ(f.queued(), 0u);
  EXPECT_FALSE(f.take_key_frame_request());
  // Config still passes (the decoder needs it; it is tiny).
  EXPECT_EQ(f.offer(FrameType::kConfig, msg("c"), 5000, 50), ViewerFeed::Offer::kQueued);
  drain(f);
  // Drained: the next delta is gated, and exactly one key frame request is raised.
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d4"), 0, 0), ViewerFeed::Offer::kGated);
  EXPECT_TRUE(f.take_key_frame_request());
  EXPECT_FALSE(f.take_key_frame_request());
  EXPECT_EQ(f.offer(FrameType::kKey, msg("k3"), 0, 0), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d5"), 0, 0), ViewerFeed::Offer::kQueued);
  EXPECT_EQ(drain(f), (std::vector<std::string>{"k3", "d5"}));
  EXPECT_EQ(f.dropped(), 4u);
}

TEST(ViewerFeedBacklog, MessageCountAloneIsEnoughToCongest) {
  ViewerFeed f(8, {1 << 20, 3});
  f.offer(FrameType::kKey, msg("k"), 0, 0);
  EXPECT_EQ(f.offer(FrameType::kDelta, msg("d"), 10, 4), ViewerFeed::Offer::kCongested);
}

}  // namespace
}  // namespace cp::media
