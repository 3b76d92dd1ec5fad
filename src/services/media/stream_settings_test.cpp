#include "services/media/stream_settings.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/problem.h"

namespace cp::media {
namespace {

std::string rejected_field(const std::string& body) {
  try {
    merge_settings(boost::json::parse(body).as_object(), {});
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.status(), http::Status::bad_request);
    return e.field();
  }
  return "(accepted)";
}

TEST(StreamSettings, PartialUpdateKeepsTheOtherFields) {
  StreamSettings current{0, 60, 8'000'000};
  auto s = merge_settings(boost::json::parse(R"({"max_size":1024})").as_object(), current);
  EXPECT_EQ(s, (StreamSettings{1024, 60, 8'000'000}));
  s = merge_settings(
      boost::json::parse(R"({"max_fps":30,"bit_rate":2000000,"max_size":0})").as_object(), s);
  EXPECT_EQ(s, (StreamSettings{0, 30, 2'000'000}));
}

TEST(StreamSettings, BadValuesAreRejectedNamingTheField) {
  EXPECT_EQ(rejected_field(R"({"max_size":100})"), "max_size");
  EXPECT_EQ(rejected_field(R"({"max_size":5000})"), "max_size");
  EXPECT_EQ(rejected_field(R"({"max_size":"720"})"), "max_size");
  EXPECT_EQ(rejected_field(R"({"max_fps":0})"), "max_fps");
  EXPECT_EQ(rejected_field(R"({"max_fps":121})"), "max_fps");
  EXPECT_EQ(rejected_field(R"({"max_fps":30.5})"), "max_fps");
  EXPECT_EQ(rejected_field(R"({"bit_rate":99999})"), "bit_rate");
  EXPECT_EQ(rejected_field(R"({"bit_rate":-1})"), "bit_rate");
  EXPECT_EQ(rejected_field(R"({"codec":"h265"})"), "codec");
  EXPECT_EQ(rejected_field(R"({})"), "max_size");
  EXPECT_EQ(rejected_field(R"({"max_fps":30,"bit_rate":1})"), "bit_rate");  // nothing applied
}

}  // namespace
}  // namespace cp::media
