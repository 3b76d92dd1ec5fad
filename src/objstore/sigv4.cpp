#include "objstore/sigv4.h"

#include <algorithm>
#include <ctime>

#include "objstore/sha256.h"

namespace cp::objstore::sigv4 {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Trims and collapses runs of spaces, as the canonical header value wants.
std::string trim_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string credential_scope(const Credentials& creds, std::string_view date) {
  return std::string(date) + "/" + creds.region + "/" + creds.service + "/aws4_request";
}

}  // namespace

std::string uri_encode(std::string_view s, bool encode_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (unreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
  return out;
}

std::string canonical_query(const Params& query) {
  std::vector<std::pair<std::string, std::string>> enc;
  enc.reserve(query.size());
  for (const auto& [k, v] : query) enc.emplace_back(uri_encode(k, true), uri_encode(v, true));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) {
    if (!out.empty()) out += '&';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string canonical_request(const Request& req, std::string* signed_headers_out) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : req.headers) headers.emplace_back(lower(name), trim_value(value));
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers;
  std::string signed_headers;
  for (size_t i = 0; i < headers.size(); ++i) {
    // Repeated header names are joined with commas into one canonical line.
    if (i > 0 && headers[i].first == headers[i - 1].first) {
      canonical_headers.pop_back();  // the '\n'
      canonical_headers += "," + headers[i].second + "\n";
      continue;
    }
    canonical_headers += headers[i].first + ":" + headers[i].second + "\n";
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += headers[i].first;
  }
  std::string path = req.path.empty() ? "/" : req.path;
  std::string out = req.method + "\n" + uri_encode(path, false) + "\n" + canonical_query(req.query) +
                    "\n" + canonical_headers + "\n" + signed_headers + "\n" + req.payload_hash;
  if (signed_headers_out) *signed_headers_out = signed_headers;
  return out;
}

std::string signing_key(const Credentials& creds, std::string_view date) {
  std::string k = hmac_sha256("AWS4" + creds.secret_key, date);
  k = hmac_sha256(k, creds.region);
  k = hmac_sha256(k, creds.service);
  return hmac_sha256(k, "aws4_request");
}

Signed sign(const Request& req, const Credentials& creds, std::string_view amz_date) {
  Signed s;
  s.canonical_request = canonical_request(req, &s.signed_headers);
  std::string_view date = amz_date.substr(0, 8);
  std::string scope = credential_scope(creds, date);
  s.string_to_sign = "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" +
                     sha256_hex(s.canonical_request);
  s.signature = to_hex(hmac_sha256(signing_key(creds, date), s.string_to_sign));
  s.authorization = "AWS4-HMAC-SHA256 Credential=" + creds.access_key + "/" + scope +
                    ",SignedHeaders=" + s.signed_headers + ",Signature=" + s.signature;
  return s;
}

Params presign_query(std::string_view method, std::string_view host, std::string_view path,
                     const Credentials& creds, std::string_view amz_date,
                     std::chrono::seconds expires_in) {
  std::string_view date = amz_date.substr(0, 8);
  Request req;
  req.method = std::string(method);
  req.path = std::string(path);
  req.query = {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
               {"X-Amz-Credential", creds.access_key + "/" + credential_scope(creds, date)},
               {"X-Amz-Date", std::string(amz_date)},
               {"X-Amz-Expires", std::to_string(expires_in.count())},
               {"X-Amz-SignedHeaders", "host"}};
  req.headers = {{"host", std::string(host)}};
  req.payload_hash = std::string(kUnsignedPayload);
  Signed s = sign(req, creds, amz_date);
  Params out = req.query;
  out.emplace_back("X-Amz-Signature", s.signature);
  return out;
}

}  // namespace cp::objstore::sigv4
