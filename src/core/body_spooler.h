#pragma once
// Reads a request body straight to a spool file (see spooled_body.h), for the upload routes:
// memory stays bounded by one chunk however large the body is.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <filesystem>
#include <memory>

#include "core/http_types.h"
#include "core/spooled_body.h"

namespace cp::http {

struct SpoolResult {
  boost::beast::error_code ec;  // a read error (body_limit, timeout, malformed, …)
  bool write_failed = false;    // the spool file could not be written (disk full)
  std::shared_ptr<const SpooledBody> body;
};

// Continues `parser` (header already read) and moves the request header into `header_out`
// (its body stays empty). `limit` bounds the body like the in-memory path does; instead of one
// deadline for the whole body, each chunk must arrive within `idle_timeout` (large uploads over
// slow links take minutes, a stalled one is cut off).
boost::asio::awaitable<SpoolResult> read_body_to_spool(
    boost::beast::tcp_stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::request_parser<boost::beast::http::string_body>& parser, size_t limit,
    std::filesystem::path dir, std::chrono::milliseconds idle_timeout, Request& header_out);

// Whether the server spools this request: a body that is not JSON (raw uploads) sent to a
// target under one of the upload prefixes.
bool should_spool(const Request& header, bool under_upload_prefix);

}  // namespace cp::http
