#pragma once
// AWS Signature Version 4 for S3: canonical request, string to sign, signing key, the
// Authorization header and presigned (query-string) URLs. Pure functions, no I/O.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cp::objstore::sigv4 {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

using Params = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
  std::string service = "s3";
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, every other byte
// %XX (uppercase); "/" kept only when encode_slash is false (object key paths).
std::string uri_encode(std::string_view s, bool encode_slash);

// "k1=v1&k2=v2" with keys and values encoded, sorted by encoded key then value.
std::string canonical_query(const Params& query);

struct Request {
  std::string method;  // "GET"
  std::string path;    // decoded path, e.g. "/bucket/my key.txt"; encoded here
  Params query;        // decoded
  Params headers;      // name/value; names are lowercased and values trimmed here
  std::string payload_hash;  // hex sha256 of the body or UNSIGNED-PAYLOAD
};

struct Signed {
  std::string canonical_request;
  std::string signed_headers;  // "host;range;x-amz-date"
  std::string string_to_sign;
  std::string signature;       // hex
  std::string authorization;   // the Authorization header value
};

// "20130524T000000Z" for a time point (UTC).
std::string amz_date(std::chrono::system_clock::time_point t);

std::string canonical_request(const Request& req, std::string* signed_headers = nullptr);
std::string signing_key(const Credentials& creds, std::string_view date);  // date: YYYYMMDD
// `amz_date` must also be among req.headers as x-amz-date for header signing.
Signed sign(const Request& req, const Credentials& creds, std::string_view amz_date);

// Query parameters (X-Amz-*, with X-Amz-Signature last) that turn a GET of `path` on `host`
// into a presigned URL: the signed header is host, the payload UNSIGNED-PAYLOAD.
Params presign_query(std::string_view method, std::string_view host, std::string_view path,
                     const Credentials& creds, std::string_view amz_date,
                     std::chrono::seconds expires_in);

}  // namespace cp::objstore::sigv4
