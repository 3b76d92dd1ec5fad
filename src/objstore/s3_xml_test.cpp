#include "objstore/s3_xml.h"

#include <gtest/gtest.h>

namespace cp::objstore::xml {
namespace {

TEST(S3Xml, ExtractsTagsAndDecodesEntities) {
  std::string doc =
      "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<KeyCount>2</KeyCount><Contents><Key>a&amp;b</Key><Size>3</Size></Contents>"
      "<Contents>\n<Key>c&#x2F;d</Key><Size>10</Size><ETag>&quot;x&quot;</ETag></Contents>"
      "<IsTruncated>false</IsTruncated></ListBucketResult>";
  auto contents = blocks(doc, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(value(contents[0], "Key"), "a&b");
  EXPECT_EQ(value(contents[1], "Key"), "c/d");
  EXPECT_EQ(value(contents[1], "ETag"), "\"x\"");
  EXPECT_EQ(value(doc, "Key"), "a&b");  // not <KeyCount>
  EXPECT_EQ(value(doc, "KeyCount"), "2");
  EXPECT_EQ(value(doc, "ListBucketResult").has_value(), true);  // attributes allowed
  EXPECT_EQ(value(doc, "Missing"), std::nullopt);
}

TEST(S3Xml, ToleratesBrokenInput) {
  EXPECT_EQ(value("<Code>NoSuchKey", "Code"), std::nullopt);
  EXPECT_EQ(value("<Code/>", "Code"), "");
  EXPECT_EQ(decode_entities("&bogus; & &#xZZ;"), "&bogus; & \xEF\xBF\xBD");
  EXPECT_EQ(escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
}

}  // namespace
}  // namespace cp::objstore::xml
