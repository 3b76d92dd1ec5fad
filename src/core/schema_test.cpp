// DTO validation: the first failing field is named in the 400, lengths count characters,
// nested objects and arrays report their full path, null is accepted only where declared.
#include "core/schema.h"

#include <gtest/gtest.h>

#include "core/problem.h"

namespace cp::http {
namespace {

namespace json = boost::json;

// The field named by the validation error, or "" when the value is valid.
std::string failing_field(const Schema& schema, std::string_view json_text) {
  try {
    schema.validate(json::parse(json_text));
    return "";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), Status::bad_request);
    return e.field();
  }
}

Schema user_schema() {
  return Schema::object({{"email", Schema::string(3, 254).format("email")},
                         {"name", Schema::string(1, 5)},
                         {"role", Schema::string().one_of({"admin", "user"})},
                         {"age", Schema::integer(0, 150)},
                         {"score", Schema::number()},
                         {"active", Schema::boolean()},
                         {"nickname", Schema::string(0, 20).nullable()},
                         {"address", Schema::object({{"city", Schema::string(1, 50)}}, {"city"})},
                         {"tags", Schema::array(Schema::string(1, 3), 2)}},
                        {"email", "name"});
}

TEST(SchemaTest, AcceptsAValidDocumentAndIgnoresUnknownMembers) {
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"Ann","role":"user",
      "age":30,"score":1.5,"active":true,"nickname":null,"address":{"city":"Oslo"},
      "tags":["x","yz"],"future_field":1})"),
            "");
}

TEST(SchemaTest, MissingRequiredFieldIsNamedWithCode) {
  try {
    user_schema().validate(json::parse(R"({"email":"a@b.io"})"));
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "name");
    EXPECT_EQ(e.code(), "missing_field");
  }
}

TEST(SchemaTest, WrongTypesAreNamed) {
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":7})"), "name");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","age":"3"})"), "age");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","age":1.5})"), "age");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","score":"x"})"), "score");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","active":1})"), "active");
  EXPECT_EQ(failing_field(user_schema(), R"([1,2])"), "body");
}

TEST(SchemaTest, IntegerBounds) {
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","age":-1})"), "age");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","age":151})"), "age");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","age":150})"), "");
  EXPECT_EQ(failing_field(Schema::integer(), "18446744073709551615"), "body");
}

TEST(SchemaTest, StringLengthCountsCodePointsNotBytes) {
  // "ÅÄÖ日本" is five characters but eleven bytes: inside max 5.
  EXPECT_EQ(failing_field(user_schema(),
                          "{\"email\":\"a@b.io\",\"name\":\"\xC3\x85\xC3\x84\xC3\x96"
                          "\xE6\x97\xA5\xE6\x9C\xAC\"}"),
            "");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"abcdef"})"), "name");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":""})"), "name");
}

TEST(SchemaTest, RejectsInvalidUtf8BuiltInCode) {
  auto s = Schema::string(0, 10);
  EXPECT_THROW(s.validate(json::string("\xFF")), ApiError);
  EXPECT_THROW(s.validate(json::string("\xC0\xAF")), ApiError);          // overlong '/'
  EXPECT_THROW(s.validate(json::string("\xED\xA0\x80")), ApiError);      // UTF-16 surrogate
  EXPECT_THROW(s.validate(json::string("\xF4\x90\x80\x80")), ApiError);  // above U+10FFFF
  EXPECT_THROW(s.validate(json::string("\xE6\x97")), ApiError);          // truncated
  EXPECT_NO_THROW(s.validate(json::string("\xF0\x9F\x98\x80")));         // emoji
}

TEST(SchemaTest, Email) {
  auto email = [](std::string_view e) {
    return failing_field(user_schema(), R"({"name":"a","email":")" + std::string(e) + "\"}");
  };
  EXPECT_EQ(email("user@example.com"), "");
  EXPECT_EQ(email("user.name+tag@sub.example.org"), "");
  for (auto bad : {"plain", "@example.com", "a@b", "a@b.", "a@@b.com", "a b@c.com", "a@b@c.com"}) {
    EXPECT_EQ(email(bad), "email") << bad;
  }
}

TEST(SchemaTest, EnumListsAllowedValues) {
  try {
    user_schema().validate(json::parse(R"({"email":"a@b.io","name":"a","role":"root"})"));
    FAIL();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.field(), "role");
    EXPECT_NE(e.detail().find("admin, user"), std::string::npos) << e.detail();
  }
}

TEST(SchemaTest, NestedPathsAreReported) {
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","address":{}})"),
            "address.city");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","address":{"city":""}})"),
            "address.city");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","tags":["ok","long"]})"),
            "tags[1]");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","tags":["a","b","c"]})"),
            "tags");
  EXPECT_EQ(failing_field(user_schema(), R"({"email":"a@b.io","name":"a","tags":"a"})"), "tags");
  auto deep =
      Schema::object({{"items", Schema::array(Schema::object({{"n", Schema::integer()}}))}});
  EXPECT_EQ(failing_field(deep, R"({"items":[{"n":1},{"n":"x"}]})"), "items[1].n");
}

TEST(SchemaTest, NullIsAcceptedOnlyWhereDeclared) {
  // Declared nullable: null is a value, even for a required member.
  auto s =
      Schema::object({{"note", Schema::string().nullable()}, {"name", Schema::string()}}, {"note"});
  EXPECT_EQ(failing_field(s, R"({"note":null})"), "");
  EXPECT_EQ(failing_field(s, R"({})"), "note");
  // Not nullable: an explicit null is an error naming the member, required or not.
  EXPECT_EQ(failing_field(s, R"({"note":null,"name":null})"), "name");
  EXPECT_EQ(failing_field(Schema::object({{"a", Schema::integer()}}, {"a"}), R"({"a":null})"), "a");
  EXPECT_EQ(failing_field(Schema::string(), "null"), "body");
  EXPECT_EQ(failing_field(Schema::string().nullable(), "null"), "");
  EXPECT_EQ(failing_field(Schema::array(Schema::integer()), "[1,null]"), "body[1]");
  EXPECT_EQ(failing_field(Schema::array(Schema::integer().nullable()), "[1,null]"), "");
}

TEST(SchemaTest, ToJsonDescribesTheSchemaForOpenApi) {
  auto doc = user_schema().describe("A user").to_json();
  EXPECT_EQ(doc.at("type"), "object");
  EXPECT_EQ(doc.at("description"), "A user");
  EXPECT_EQ(doc.at("required"), (json::array{"email", "name"}));
  const auto& props = doc.at("properties").as_object();
  EXPECT_EQ(props.at("email").at("format"), "email");
  EXPECT_EQ(props.at("email").at("minLength"), 3);
  EXPECT_EQ(props.at("role").at("enum"), (json::array{"admin", "user"}));
  EXPECT_EQ(props.at("age").at("minimum"), 0);
  EXPECT_EQ(props.at("age").at("maximum"), 150);
  EXPECT_EQ(props.at("nickname").at("nullable"), true);
  EXPECT_EQ(props.at("tags").at("items").at("type"), "string");
  EXPECT_EQ(props.at("tags").at("maxItems"), 2);
  EXPECT_EQ(props.at("address").at("required"), (json::array{"city"}));
}

TEST(SchemaTest, Getters) {
  auto o = json::parse(R"({"s":"x","i":5,"u":7,"b":true,"l":["a",1,"b"],"n":null})").as_object();
  EXPECT_EQ(get_string(o, "s"), "x");
  EXPECT_EQ(get_string(o, "i", "def"), "def");
  EXPECT_EQ(get_opt_string(o, "n"), std::nullopt);
  EXPECT_EQ(get_int(o, "i"), 5);
  EXPECT_EQ(get_opt_int(o, "missing"), std::nullopt);
  EXPECT_TRUE(get_bool(o, "b"));
  EXPECT_EQ(get_strings(o, "l"), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace cp::http
