#include "objstore/s3_object_store.h"

#include <fstream>

#include "objstore/s3_xml.h"
#include "objstore/sha256.h"

namespace fs = std::filesystem;

namespace cp::objstore {

namespace {

using http::Method;
namespace bhttp = boost::beast::http;

std::string target_of(const std::string& path, const sigv4::Params& query) {
  std::string t = sigv4::uri_encode(path, false);
  if (!query.empty()) t += "?" + sigv4::canonical_query(query);
  return t;
}

// An S3 error answer as an exception: the <Error><Code>/<Message> when there is a body.
[[noreturn]] void throw_s3_error(const http::Response& res, std::string_view what) {
  int status = static_cast<int>(res.result_int());
  std::string code = xml::value(res.body(), "Code").value_or("");
  std::string message = xml::value(res.body(), "Message").value_or("");
  if (code.empty()) {
    code = status == 404 ? "NotFound" : status == 403 ? "AccessDenied" : "HttpError";
  }
  if (message.empty()) message = std::string(res.reason());
  throw ObjectStoreError(code, std::string(what) + ": " + message + " (HTTP " +
                                   std::to_string(status) + ")",
                         status);
}

std::string header(const http::Response& res, bhttp::field f) {
  auto it = res.find(f);
  return it == res.end() ? std::string() : std::string(it->value());
}

// Fills `buf` with up to n bytes; returns false when the stream had nothing left.
bool read_part(std::istream& in, std::string& buf, size_t n) {
  buf.resize(n);
  in.read(buf.data(), static_cast<std::streamsize>(n));
  buf.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) throw ObjectStoreError("LocalFile", "read error on the upload stream");
  return !buf.empty();
}

}  // namespace

S3ObjectStore::S3ObjectStore(S3Config config) : config_(std::move(config)) {
  creds_.access_key = config_.access_key;
  creds_.secret_key = config_.secret_key;
  creds_.region = config_.region;
  creds_.service = "s3";
  base_ = http::parse_endpoint(config_.endpoint);
  if (config_.part_size < (5u << 20)) config_.part_size = 5u << 20;
  http::HttpClient::Options opts;
  opts.request_timeout = config_.timeout;
  opts.max_response_bytes = std::max<size_t>(64u << 20, config_.part_size + (1u << 20));
  client_ = std::make_unique<http::HttpClient>(opts);
}

S3ObjectStore::~S3ObjectStore() = default;

http::Endpoint S3ObjectStore::endpoint() const {
  if (config_.path_style) return base_;
  return http::Endpoint{config_.bucket + "." + base_.host, base_.port};
}

std::string S3ObjectStore::object_path(const std::string& key) const {
  return config_.path_style ? "/" + config_.bucket + "/" + key : "/" + key;
}

http::Response S3ObjectStore::call(Method method, const std::string& path,
                                   const sigv4::Params& query, std::string body,
                                   std::string_view content_type,
                                   const std::vector<std::pair<std::string, std::string>>& extra) {
  http::Endpoint ep = endpoint();
  std::string date = sigv4::amz_date(std::chrono::system_clock::now());
  sigv4::Request sreq;
  sreq.method = std::string(bhttp::to_string(method));
  sreq.path = path;
  sreq.query = query;
  sreq.payload_hash = sha256_hex(body);  // real hash, also for PUT bodies
  sreq.headers = {{"host", ep.key()},
                  {"x-amz-content-sha256", sreq.payload_hash},
                  {"x-amz-date", date}};
  if (!content_type.empty()) sreq.headers.emplace_back("content-type", std::string(content_type));
  for (const auto& h : extra) sreq.headers.push_back(h);
  sigv4::Signed s = sigv4::sign(sreq, creds_, date);

  http::Request req{method, target_of(path, query), 11};
  for (const auto& [name, value] : sreq.headers) {
    if (name != "host") req.set(name, value);
  }
  req.set(bhttp::field::authorization, s.authorization);
  req.body() = std::move(body);
  try {
    return client_->send(ep, std::move(req), config_.timeout);
  } catch (const http::HttpClientError& e) {
    throw ObjectStoreError("Transport", "s3 " + ep.key() + ": " + e.what());
  }
}

ObjectInfo S3ObjectStore::put_bytes(const std::string& key, std::string_view data,
                                    std::string_view content_type) {
  validate_key(key);
  auto res = call(Method::put, object_path(key), {}, std::string(data), content_type);
  if (res.result_int() != 200) throw_s3_error(res, "put " + key);
  return ObjectInfo{key, data.size(), header(res, bhttp::field::etag), std::string(content_type)};
}

ObjectInfo S3ObjectStore::put_stream(const std::string& key, std::istream& in,
                                     std::string_view content_type) {
  validate_key(key);
  std::string first;
  read_part(in, first, config_.part_size);
  if (first.size() < config_.part_size || in.peek() == std::char_traits<char>::eof()) {
    return put_bytes(key, first, content_type);
  }
  return put_multipart(key, in, std::move(first), content_type);
}

ObjectInfo S3ObjectStore::put_multipart(const std::string& key, std::istream& in,
                                        std::string part, std::string_view content_type) {
  const std::string path = object_path(key);
  auto created = call(Method::post, path, {{"uploads", ""}}, {}, content_type);
  if (created.result_int() != 200) throw_s3_error(created, "create multipart upload " + key);
  std::string upload_id = xml::value(created.body(), "UploadId").value_or("");
  if (upload_id.empty()) throw ObjectStoreError("MalformedResponse", "no UploadId for " + key);

  try {
    std::string complete = "<CompleteMultipartUpload>";
    uint64_t total = 0;
    for (int number = 1; !part.empty(); ++number) {
      total += part.size();
      auto res = call(Method::put, path,
                      {{"partNumber", std::to_string(number)}, {"uploadId", upload_id}},
                      std::move(part));
      if (res.result_int() != 200) throw_s3_error(res, "upload part " + std::to_string(number));
      ++parts_uploaded_;
      complete += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" +
                  xml::escape(header(res, bhttp::field::etag)) + "</ETag></Part>";
      part.clear();
      read_part(in, part, config_.part_size);
    }
    complete += "</CompleteMultipartUpload>";
    auto done = call(Method::post, path, {{"uploadId", upload_id}}, std::move(complete),
                     "application/xml");
    // S3 may answer 200 with an <Error> body when completion fails late.
    if (done.result_int() != 200 || done.body().find("<Error>") != std::string::npos) {
      throw_s3_error(done, "complete multipart upload " + key);
    }
    ++multipart_uploads_;
    return ObjectInfo{key, total, xml::value(done.body(), "ETag").value_or(""),
                      std::string(content_type)};
  } catch (...) {
    try {
      call(Method::delete_, path, {{"uploadId", upload_id}});
    } catch (const std::exception&) {
      // Best effort: the original error is the one worth reporting.
    }
    throw;
  }
}

std::string S3ObjectStore::get_bytes(const std::string& key) {
  validate_key(key);
  auto res = call(Method::get, object_path(key), {});
  if (res.result_int() != 200) throw_s3_error(res, "get " + key);
  return std::move(res.body());
}

ObjectInfo S3ObjectStore::get_file(const std::string& key, const fs::path& file) {
  validate_key(key);
  fs::path tmp = file;
  tmp += ".part";
  ObjectInfo info{key, 0, "", ""};
  try {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw ObjectStoreError("LocalFile", "cannot write " + tmp.string());
    uint64_t offset = 0;
    for (;;) {
      std::string range = "bytes=" + std::to_string(offset) + "-" +
                          std::to_string(offset + config_.part_size - 1);
      auto res = call(Method::get, object_path(key), {}, {}, {}, {{"range", range}});
      int status = static_cast<int>(res.result_int());
      if (status == 416 && offset == 0) break;  // an empty object
      if (status != 200 && status != 206) throw_s3_error(res, "get " + key);
      if (offset == 0) {
        info.etag = header(res, bhttp::field::etag);
        info.content_type = header(res, bhttp::field::content_type);
      }
      out.write(res.body().data(), static_cast<std::streamsize>(res.body().size()));
      offset += res.body().size();
      if (status == 200) break;  // the server sent the whole object
      // Content-Range: bytes 0-99/1234
      std::string cr = header(res, bhttp::field::content_range);
      auto slash = cr.rfind('/');
      if (slash == std::string::npos || res.body().empty()) {
        throw ObjectStoreError("MalformedResponse", "bad Content-Range '" + cr + "' for " + key);
      }
      uint64_t total = std::stoull(cr.substr(slash + 1));
      if (offset >= total) break;
    }
    out.flush();
    if (!out) throw ObjectStoreError("LocalFile", "cannot write " + tmp.string());
    out.close();
    info.size = offset;
    fs::rename(tmp, file);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  return info;
}

std::optional<ObjectInfo> S3ObjectStore::head(const std::string& key) {
  validate_key(key);
  auto res = call(Method::head, object_path(key), {});
  if (res.result_int() == 404) return std::nullopt;
  if (res.result_int() != 200) throw_s3_error(res, "head " + key);
  ObjectInfo info{key, 0, header(res, bhttp::field::etag),
                  header(res, bhttp::field::content_type)};
  std::string len = header(res, bhttp::field::content_length);
  if (!len.empty()) info.size = std::stoull(len);
  return info;
}

bool S3ObjectStore::remove(const std::string& key) {
  // S3 answers 204 whether or not the object existed: HEAD tells which.
  if (!head(key)) return false;
  auto res = call(Method::delete_, object_path(key), {});
  if (res.result_int() != 204 && res.result_int() != 200) throw_s3_error(res, "delete " + key);
  return true;
}

std::vector<ObjectInfo> S3ObjectStore::list(const std::string& prefix) {
  std::vector<ObjectInfo> out;
  const std::string path = config_.path_style ? "/" + config_.bucket : "/";
  std::string token;
  for (;;) {
    sigv4::Params query = {{"list-type", "2"}, {"prefix", prefix}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    auto res = call(Method::get, path, query);
    if (res.result_int() != 200) throw_s3_error(res, "list " + prefix);
    for (auto block : xml::blocks(res.body(), "Contents")) {
      ObjectInfo info;
      info.key = xml::value(block, "Key").value_or("");
      info.etag = xml::value(block, "ETag").value_or("");
      try {
        info.size = std::stoull(xml::value(block, "Size").value_or("0"));
      } catch (const std::exception&) {
        throw ObjectStoreError("MalformedResponse", "bad <Size> in a listing");
      }
      out.push_back(std::move(info));
    }
    bool truncated = xml::value(res.body(), "IsTruncated").value_or("false") == "true";
    token = xml::value(res.body(), "NextContinuationToken").value_or("");
    if (!truncated || token.empty()) break;
  }
  return out;
}

std::optional<std::string> S3ObjectStore::presigned_get_url(const std::string& key,
                                                            std::chrono::seconds expires_in) {
  validate_key(key);
  http::Endpoint ep = endpoint();
  std::string path = object_path(key);
  auto query = sigv4::presign_query("GET", ep.key(), path, creds_,
                                    sigv4::amz_date(std::chrono::system_clock::now()), expires_in);
  std::string url = "http://" + ep.key() + sigv4::uri_encode(path, false);
  char sep = '?';
  for (const auto& [k, v] : query) {
    url += sep + sigv4::uri_encode(k, true) + "=" + sigv4::uri_encode(v, true);
    sep = '&';
  }
  return url;
}

}  // namespace cp::objstore
