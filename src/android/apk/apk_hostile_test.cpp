// Corrupt and hostile APKs must give ApkError: never a crash, a hang or unbounded memory.
// Real manifests and tables come from the aapt-built APKs (fixture `testapks`).
#include <gtest/gtest.h>

#include <random>

#include "android/apk/apk_reader.h"
#include "android/apk/apk_test_support.h"
#include "android/apk/arsc.h"
#include "android/apk/axml.h"
#include "android/apk/manifest.h"

namespace cp::apk {
namespace {

using testing::entry;
using testing::make_zip;
using testing::read_file;
using testing::test_apk_dir;
using testing::unzip_all;

std::vector<uint8_t> bytes_of(std::string_view text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::string error_of(const std::vector<uint8_t>& apk) {
  try {
    read_apk(std::span<const uint8_t>(apk));
  } catch (const ApkError& e) {
    return e.what();
  }
  return "no error";
}

std::vector<uint8_t> basic_manifest() {
  return entry(unzip_all(test_apk_dir() / "basic.apk"), "AndroidManifest.xml");
}

TEST(ApkHostile, EveryTruncationIsRejected) {
  std::vector<uint8_t> apk = read_file(test_apk_dir() / "basic.apk");
  for (size_t length = 0; length < apk.size(); length += (apk.size() - length < 200 ? 1 : 53)) {
    // A copy of exactly `length` bytes, so a sanitizer catches any read past the end.
    std::vector<uint8_t> prefix(apk.begin(), apk.begin() + static_cast<long>(length));
    EXPECT_THROW(read_apk(std::span<const uint8_t>(prefix)), ApkError) << "length " << length;
  }
}

TEST(ApkHostile, RandomGarbageIsRejected) {
  std::mt19937 random(1234);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> garbage(random() % 5000);
    for (uint8_t& byte : garbage) {
      byte = static_cast<uint8_t>(random());
    }
    if (i % 2 == 0 && garbage.size() >= 4) {
      garbage[0] = 'P', garbage[1] = 'K', garbage[2] = 3, garbage[3] = 4;
    }
    EXPECT_THROW(read_apk(std::span<const uint8_t>(garbage)), ApkError);
  }
}

TEST(ApkHostile, ZipWithoutManifest) {
  std::vector<uint8_t> apk = make_zip({{"classes.dex", bytes_of("dex\n035")}});
  EXPECT_EQ(error_of(apk), "APK has no AndroidManifest.xml");
}

TEST(ApkHostile, TextXmlManifest) {
  std::vector<uint8_t> apk =
      make_zip({{"AndroidManifest.xml", bytes_of("<?xml version=\"1.0\"?>\n<manifest "
                                                 "package=\"com.example\"/>\n")}});
  EXPECT_EQ(error_of(apk), "text XML where binary XML was expected");
}

TEST(ApkHostile, ManifestThatIsNotAManifest) {
  // A valid binary XML document whose root is not <manifest>: the adaptive icon of alias.apk.
  testing::ZipEntries alias = unzip_all(test_apk_dir() / "alias.apk");
  std::vector<uint8_t> apk =
      make_zip({{"AndroidManifest.xml", entry(alias, "res/mipmap-anydpi-v26/ic_launcher.xml")}});
  EXPECT_NE(error_of(apk).find("not <manifest>"), std::string::npos) << error_of(apk);
}

TEST(ApkHostile, HugeManifestIsRefusedBeforeInflating) {
  std::vector<uint8_t> zeros(64u << 20);
  std::vector<uint8_t> apk = make_zip({{"AndroidManifest.xml", zeros}});
  EXPECT_LT(apk.size(), 1u << 20);  // the point of a zip bomb: small outside, huge inside
  EXPECT_NE(error_of(apk).find("too large"), std::string::npos) << error_of(apk);
}

TEST(ApkHostile, ZipBombByCompressionRatio) {
  std::vector<uint8_t> zeros(12u << 20);
  std::vector<uint8_t> apk =
      make_zip({{"AndroidManifest.xml", basic_manifest()}, {"resources.arsc", zeros}});
  EXPECT_NE(error_of(apk).find("zip bomb"), std::string::npos) << error_of(apk);
}

// ResStringPool_header starts right after the 8-byte XML header: count at +8, offsets at +28.
TEST(ApkHostile, CorruptStringPoolOffsets) {
  const size_t pool = 8;
  std::vector<uint8_t> good = basic_manifest();
  ASSERT_EQ(good[pool], 0x01);  // RES_STRING_POOL_TYPE
  auto put_u32 = [](std::vector<uint8_t>& b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      b[at + i] = static_cast<uint8_t>(v >> (8 * i));
    }
  };
  struct Corruption {
    const char* what;
    size_t offset;
    uint32_t value;
  };
  const Corruption corruptions[] = {
      {"string offset far past the end", pool + 28, 0x7fffffff},
      {"last string offset past the end", pool + 28 + 4, 0xfffffff0},
      {"string count huge", pool + 8, 0x10000000},
      {"strings start past the chunk", pool + 20, 0x00ffffff},
      {"chunk size past the file", pool + 4, 0x00ffffff},
  };
  for (const Corruption& c : corruptions) {
    std::vector<uint8_t> bad = good;
    put_u32(bad, c.offset, c.value);
    EXPECT_THROW(parse_axml(bad), ApkError) << c.what;
    EXPECT_THROW(read_apk(std::span<const uint8_t>(make_zip({{"AndroidManifest.xml", bad}}))),
                 ApkError)
        << c.what;
  }
}

// Random byte flips in real manifests and tables: each parse either succeeds or throws ApkError.
void parse_everything(std::span<const uint8_t> manifest, std::span<const uint8_t> arsc) {
  try {
    read_manifest(parse_axml(manifest));
  } catch (const ApkError&) {
  }
  try {
    ResourceTable table(arsc);
    for (uint32_t type = 1; type <= 6; ++type) {
      for (uint32_t index = 0; index < 4; ++index) {
        uint32_t id = 0x7f000000 | (type << 16) | index;
        table.resolve_string(id);
        table.file_candidates(id);
      }
    }
  } catch (const ApkError&) {
  }
}

TEST(ApkHostile, MutatedManifestsAndTablesNeverCrash) {
  std::mt19937 random(99);
  for (const char* name : {"basic.apk", "alias.apk"}) {
    testing::ZipEntries apk = unzip_all(test_apk_dir() / name);
    const std::vector<uint8_t>& manifest = entry(apk, "AndroidManifest.xml");
    const std::vector<uint8_t>& arsc = entry(apk, "resources.arsc");
    for (size_t length = 0; length < std::max(manifest.size(), arsc.size()); ++length) {
      parse_everything(std::span(manifest).first(std::min(length, manifest.size())),
                       std::span(arsc).first(std::min(length, arsc.size())));
    }
    for (int round = 0; round < 3000; ++round) {
      std::vector<uint8_t> m = manifest;
      std::vector<uint8_t> a = arsc;
      for (int flips = 1 + random() % 4; flips > 0; --flips) {
        m[random() % m.size()] = static_cast<uint8_t>(random());
        a[random() % a.size()] = static_cast<uint8_t>(random());
      }
      parse_everything(m, a);
    }
  }
}

}  // namespace
}  // namespace cp::apk
