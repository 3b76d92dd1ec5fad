// The strict side of Schema: response bodies (mismatch) and named components in OpenAPI.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/schema.h"

namespace cp::http {
namespace {

namespace json = boost::json;

Schema device() {
  return Schema::record({{"id", Schema::string()},
                         {"state", Schema::string().one_of({"running", "stopped"})},
                         {"node", Schema::string().nullable()},
                         {"labels", Schema::map(Schema::string())},
                         {"cpu", Schema::number()},
                         {"extra", Schema::any()}},
                        {"extra"})
      .named("Device");
}

std::string mismatch(const Schema& s, std::string_view body) {
  return s.mismatch(json::parse(body));
}

TEST(SchemaResponseTest, ConformingBodyHasNoMismatch) {
  EXPECT_EQ(mismatch(device(), R"({"id":"d","state":"running","node":null,"labels":{"a":"b"},)"
                               R"("cpu":0.5})"),
            "");
  EXPECT_EQ(mismatch(device(), R"({"id":"d","state":"stopped","node":"n1","labels":{},"cpu":1,)"
                               R"("extra":[1,{"x":null}]})"),
            "");
}

TEST(SchemaResponseTest, NamesTheFirstMemberThatDoesNotConform) {
  const auto ok = std::string(R"("node":null,"labels":{},"cpu":1)");
  EXPECT_EQ(mismatch(device(), R"({"id":"d","state":"running",)" + ok + R"(,"secret":1})"),
            "secret: not documented");
  EXPECT_EQ(mismatch(device(), R"({"id":"d","state":"lost",)" + ok + "}"),
            "state: \"lost\" is not a documented value");
  EXPECT_EQ(mismatch(device(), R"({"state":"running",)" + ok + "}"),
            "id: documented as always present");
  EXPECT_EQ(mismatch(device(), R"({"id":null,"state":"running",)" + ok + "}"),
            "id: null but not nullable");
  EXPECT_EQ(mismatch(device(), R"({"id":"d","state":"running","node":null,"labels":{"a":1},)"
                               R"("cpu":1})"),
            "labels.a: not a string");
  EXPECT_EQ(mismatch(Schema::array(device()), R"([{"id":"d"}])"),
            "body[0].state: documented as always present");
  EXPECT_EQ(mismatch(Schema::integer(), "1.5"), "body: not an integer");
}

TEST(SchemaResponseTest, NamedSchemasBecomeComponentsReferencedByRef) {
  json::object components;
  auto page =
      Schema::record({{"items", Schema::array(device())}, {"first", Schema(device()).nullable()}});
  auto doc = page.to_json(&components);
  EXPECT_EQ(doc.at("properties").at("items").at("items").at("$ref"), "#/components/schemas/Device");
  EXPECT_EQ(doc.at("properties").at("first").at("nullable"), true);
  EXPECT_EQ(doc.at("properties").at("first").at("allOf").at(0).at("$ref"),
            "#/components/schemas/Device");
  ASSERT_TRUE(components.contains("Device"));
  const auto& dev = components.at("Device").as_object();
  EXPECT_EQ(dev.at("required"), (json::array{"id", "state", "node", "labels", "cpu"}));
  EXPECT_EQ(dev.at("properties").at("labels").at("additionalProperties").at("type"), "string");
  EXPECT_FALSE(dev.contains("nullable"));
  // Without a components sink the schema is inlined.
  EXPECT_EQ(device().to_json().at("type"), "object");
}

}  // namespace
}  // namespace cp::http
