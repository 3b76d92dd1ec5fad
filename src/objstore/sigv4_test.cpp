#include "objstore/sigv4.h"

#include <gtest/gtest.h>

#include "objstore/sha256.h"

namespace cp::objstore::sigv4 {
namespace {

// The example credentials and request of the AWS S3 Signature V4 documentation
// ("Authenticating Requests: Using the Authorization Header", GET /test.txt with a Range).
Credentials example_creds() {
  return Credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                     "us-east-1", "s3"};
}

Request example_get() {
  Request r;
  r.method = "GET";
  r.path = "/test.txt";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
               {"Range", "bytes=0-9"},
               {"x-amz-content-sha256", std::string(kEmptyPayloadHash)},
               {"x-amz-date", "20130524T000000Z"}};
  r.payload_hash = std::string(kEmptyPayloadHash);
  return r;
}

TEST(SigV4, EmptyPayloadHashIsSha256OfNothing) { EXPECT_EQ(sha256_hex(""), kEmptyPayloadHash); }

TEST(SigV4, AwsDocumentationGetObjectExample) {
  Signed s = sign(example_get(), example_creds(), "20130524T000000Z");
  EXPECT_EQ(s.canonical_request,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" + std::string(kEmptyPayloadHash) +
                "\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n" +
                std::string(kEmptyPayloadHash));
  EXPECT_EQ(s.signed_headers, "host;range;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, AnyChangeChangesTheSignature) {
  const std::string good = sign(example_get(), example_creds(), "20130524T000000Z").signature;
  auto creds = example_creds();
  creds.secret_key.back() = 'X';
  EXPECT_NE(sign(example_get(), creds, "20130524T000000Z").signature, good);
  auto req = example_get();
  req.path = "/test.txT";
  EXPECT_NE(sign(req, example_creds(), "20130524T000000Z").signature, good);
  EXPECT_NE(sign(example_get(), example_creds(), "20130524T000001Z").signature, good);
}

TEST(SigV4, PresignedUrlQuery) {
  Params q = presign_query("GET", "examplebucket.s3.amazonaws.com", "/test.txt", example_creds(),
                           "20130524T000000Z", std::chrono::seconds(86400));
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q.back().first, "X-Amz-Signature");
  EXPECT_EQ(q[1].second, "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request");
  // The presigned-URL example of the AWS documentation (same credentials, 86400 s).
  EXPECT_EQ(q.back().second, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4, UriEncoding) {
  EXPECT_EQ(uri_encode("a b/c~d_e-f.g", false), "a%20b/c~d_e-f.g");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b%2Fc");
  EXPECT_EQ(uri_encode("x+y=z&\xc3\xa9", true), "x%2By%3Dz%26%C3%A9");
}

TEST(SigV4, CanonicalQueryIsSortedAndEncoded) {
  EXPECT_EQ(canonical_query({{"prefix", "apks/a b"}, {"list-type", "2"}, {"uploads", ""}}),
            "list-type=2&prefix=apks%2Fa%20b&uploads=");
  // Sorted by encoded name, then by value.
  EXPECT_EQ(canonical_query({{"b", "2"}, {"a", "z"}, {"a", "y"}, {"A", "1"}}), "A=1&a=y&a=z&b=2");
}

TEST(SigV4, CanonicalRequestEncodesPathAndTrimsHeaders) {
  Request r;
  r.method = "PUT";
  r.path = "/bucket/my key/ü.apk";
  r.query = {{"uploadId", "x/y"}, {"partNumber", "1"}};
  r.headers = {{"X-Amz-Date", "20240101T000000Z"}, {"Host", "  h:9000 "}, {"x-amz-meta-a", "a   b"}};
  r.payload_hash = std::string(kUnsignedPayload);
  std::string signed_headers;
  EXPECT_EQ(canonical_request(r, &signed_headers),
            "PUT\n/bucket/my%20key/%C3%BC.apk\npartNumber=1&uploadId=x%2Fy\n"
            "host:h:9000\nx-amz-date:20240101T000000Z\nx-amz-meta-a:a b\n\n"
            "host;x-amz-date;x-amz-meta-a\nUNSIGNED-PAYLOAD");
  EXPECT_EQ(signed_headers, "host;x-amz-date;x-amz-meta-a");
}

TEST(SigV4, AmzDate) {
  EXPECT_EQ(amz_date(std::chrono::system_clock::from_time_t(1369353600)), "20130524T000000Z");
}

}  // namespace
}  // namespace cp::objstore::sigv4
