#pragma once
// Reads one HTTP request off a connection for the server's session loop: header limit, body
// limit by target, 100-continue, and raw uploads under the upload prefixes streamed to a spool
// file (see spooled_body.h) instead of memory. Every failure that deserves an answer (400, 413,
// 431, 507) is answered here; the caller just closes the connection.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "core/http_types.h"
#include "core/server.h"
#include "core/spooled_body.h"

namespace cp::http {

struct IncomingRequest {
  Request request;  // body empty when `upload` is set
  std::shared_ptr<const SpooledBody> upload;
};

// nullopt: the peer went away or the request was refused (already answered); close.
boost::asio::awaitable<std::optional<IncomingRequest>> read_request(
    boost::beast::tcp_stream& stream, boost::beast::flat_buffer& buffer,
    const ServerOptions& options);

boost::asio::awaitable<void> write_response(boost::beast::tcp_stream& stream, Response res,
                                            std::chrono::milliseconds timeout);

// Whether the server spools this request: a body that is not JSON (raw uploads) sent to a
// target under one of the upload prefixes.
bool should_spool(const Request& header, const ServerOptions& options);

}  // namespace cp::http
