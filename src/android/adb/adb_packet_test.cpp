#include "android/adb/adb_packet.h"

#include <gtest/gtest.h>

#include "android/adb/shell_protocol.h"

namespace cp::adb {
namespace {

TEST(AdbPacket, HeaderLayoutMatchesTheWireFormat) {
  auto bytes = encode_message(kCnxn, kVersionSkipChecksum, kMaxPayload, "host::");
  ASSERT_EQ(bytes.size(), kHeaderSize + 6);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "CNXN");
  EXPECT_EQ(bytes[4], 0x01);  // arg0 0x01000001 little-endian
  EXPECT_EQ(bytes[7], 0x01);
  uint32_t sum = 0;
  for (char c : std::string("host::")) sum += static_cast<uint8_t>(c);
  EXPECT_EQ(bytes[16] | bytes[17] << 8, static_cast<int>(sum));
  // magic = command ^ 0xffffffff
  EXPECT_EQ(bytes[20], static_cast<uint8_t>(~'C'));
  EXPECT_EQ(bytes[23], static_cast<uint8_t>(~'N'));
}

TEST(AdbPacket, ParserReassemblesMessagesFedOneByteAtATime) {
  auto a = encode_message(kOpen, 7, 0, std::string_view("shell:ls\0", 9));
  auto b = encode_message(kOkay, 1, 7, std::string_view());
  std::vector<uint8_t> wire = a;
  wire.insert(wire.end(), b.begin(), b.end());
  PacketParser parser;
  std::vector<AdbMessage> got;
  for (uint8_t byte : wire) {
    parser.feed(std::span(&byte, 1));
    while (auto m = parser.next()) got.push_back(std::move(*m));
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].command, kOpen);
  EXPECT_EQ(got[0].arg0, 7u);
  EXPECT_EQ(got[0].payload.size(), 9u);
  EXPECT_EQ(got[1].command, kOkay);
  EXPECT_EQ(got[1].arg1, 7u);
  EXPECT_TRUE(got[1].payload.empty());
  EXPECT_EQ(parser.buffered(), 0u);
}

TEST(AdbPacket, BadMagicIsRejected) {
  auto bytes = encode_message(kWrte, 1, 2, "x");
  bytes[20] ^= 0xFF;
  PacketParser parser;
  parser.feed(bytes);
  EXPECT_THROW(parser.next(), AdbError);
}

TEST(AdbPacket, OversizedPayloadIsRejectedBeforeItArrives) {
  auto bytes = encode_message(kWrte, 1, 2, std::string(5000, 'a'));
  PacketParser parser(4096);
  parser.feed(std::span(bytes).first(kHeaderSize));  // header alone is enough to refuse
  EXPECT_THROW(parser.next(), AdbError);
}

TEST(ShellProtocol, FramesSurviveArbitrarySplits) {
  auto out = encode_shell_frame(ShellPacket::kStdout, "hello\n");
  auto exit = encode_shell_frame(ShellPacket::kExit, std::string(1, '\3'));
  std::vector<uint8_t> wire = out;
  wire.insert(wire.end(), exit.begin(), exit.end());
  ShellFrameParser parser;
  parser.feed(std::span(wire).first(3));
  EXPECT_FALSE(parser.next());
  parser.feed(std::span(wire).subspan(3));
  auto f1 = parser.next();
  auto f2 = parser.next();
  ASSERT_TRUE(f1 && f2);
  EXPECT_EQ(f1->id, ShellPacket::kStdout);
  EXPECT_EQ(f1->data, "hello\n");
  EXPECT_EQ(f2->id, ShellPacket::kExit);
  EXPECT_EQ(f2->data, "\3");
  EXPECT_FALSE(parser.next());
}

}  // namespace
}  // namespace cp::adb
