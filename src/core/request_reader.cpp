#include "core/request_reader.h"

#include <array>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <vector>

// GCC 12 reports -Wmismatched-new-delete for these value-returning awaitables: it pairs asio's
// frame operator delete with the aligned_alloc inside asio's recycling allocator, which do match
// (a false positive seen with coroutine frames). The check stays on everywhere else.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace cp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

asio::awaitable<void> write_response(beast::tcp_stream& stream, Response res,
                                     std::chrono::milliseconds timeout) {
  stream.expires_after(timeout);
  co_await beast::async_write(stream, beast::http::message_generator(std::move(res)), use_tuple);
}

namespace {

Response simple_error(Status status, const std::string& code, const std::string& detail) {
  auto res = problem_response(ApiError(status, code, detail), "", "");
  res.keep_alive(false);
  return res;
}

// The answer to a failed body read, or none when the client simply went away.
std::optional<Response> body_read_error(const beast::error_code& ec) {
  if (ec == beast::http::error::body_limit) {
    return simple_error(Status::payload_too_large, "body_too_large",
                        "request body exceeds the limit");
  }
  if (ec != beast::error::timeout && ec != asio::error::eof &&
      ec != beast::http::error::end_of_stream && ec != asio::error::connection_reset &&
      ec != asio::error::operation_aborted) {
    return simple_error(Status::bad_request, "malformed_request",
                        "malformed HTTP body: " + ec.message());
  }
  return std::nullopt;
}

bool expects_continue(const Request& req) {
  auto it = req.find(bhttp::field::expect);
  return it != req.end() && beast::iequals(it->value(), "100-continue");
}

// Sends an error that ends the connection, then reads and discards what the client is still
// sending for a moment before closing. Closing a socket with unread input makes the kernel send
// RST, and the client would lose the response it has not read yet (typically a 413 while it is
// still uploading the body).
asio::awaitable<void> write_final_error(beast::tcp_stream& stream, Response res,
                                        std::chrono::milliseconds timeout) {
  co_await write_response(stream, std::move(res), timeout);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  stream.expires_after(std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(2)));
  std::array<char, 16 * 1024> sink;
  for (;;) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    if (rec) break;
  }
}

bool is_upload_target(std::string_view target, const ServerOptions& options) {
  for (const auto& prefix : options.upload_prefixes) {
    if (target.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

size_t body_limit_for(std::string_view target, const ServerOptions& options) {
  if (options.upload_body_limit > 0 && is_upload_target(target, options)) {
    return options.upload_body_limit;
  }
  return options.body_limit;
}

struct SpoolResult {
  beast::error_code ec;       // a read error (body_limit, timeout, malformed, …)
  bool write_failed = false;  // the spool file could not be written (disk full)
  std::shared_ptr<const SpooledBody> body;
};

// Continues `parser` (header already read) and moves the request header into `header_out`.
// Instead of one deadline for the whole body, each chunk must arrive within `idle_timeout`:
// large uploads over slow links take minutes, a stalled one is cut off.
asio::awaitable<SpoolResult> read_body_to_spool(beast::tcp_stream& stream,
                                                beast::flat_buffer& buffer,
                                                bhttp::request_parser<bhttp::string_body>& parser,
                                                size_t limit, const std::string& dir,
                                                std::chrono::milliseconds idle_timeout,
                                                Request& header_out) {
  SpoolResult result;
  bhttp::request_parser<bhttp::buffer_body> body_parser{std::move(parser)};
  body_parser.body_limit(limit);
  std::unique_ptr<SpoolWriter> writer;
  std::vector<char> chunk(256 * 1024);
  try {
    writer = std::make_unique<SpoolWriter>(dir);
    while (!body_parser.is_done()) {
      body_parser.get().body().data = chunk.data();
      body_parser.get().body().size = chunk.size();
      stream.expires_after(idle_timeout);
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, body_parser, use_tuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        result.ec = ec;
        co_return result;
      }
      writer->append(std::string_view(chunk.data(), chunk.size() - body_parser.get().body().size));
    }
    result.body = writer->finish();
  } catch (const std::exception&) {
    result.write_failed = true;
    co_return result;
  }
  auto msg = body_parser.release();
  header_out = Request(std::move(msg.base()));
  co_return result;
}

}  // namespace

bool should_spool(const Request& header, const ServerOptions& options) {
  if (!is_upload_target(header.target(), options)) return false;
  if (header.method() != Method::post && header.method() != Method::put) return false;
  // JSON bodies stay in memory: handlers parse them (json_body) and they are small.
  return header[bhttp::field::content_type].find("json") == std::string_view::npos;
}

asio::awaitable<std::optional<IncomingRequest>> read_request(beast::tcp_stream& stream,
                                                             beast::flat_buffer& buffer,
                                                             const ServerOptions& opt) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  // The body limit depends on the target, known only after the header: Beast checks a
  // Content-Length against the limit while parsing the header, so none is set until then.
  parser.body_limit(boost::none);
  auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
  if (ec) {
    if (ec == bhttp::error::header_limit) {
      co_await write_final_error(stream,
                                 simple_error(Status::request_header_fields_too_large,
                                              "headers_too_large", "request headers too large"),
                                 opt.read_timeout);
    } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
               ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
               ec != asio::error::eof && buffer.size() > 0) {
      co_await write_final_error(stream,
                                 simple_error(Status::bad_request, "malformed_request",
                                              "malformed HTTP request: " + ec.message()),
                                 opt.read_timeout);
    }
    co_return std::nullopt;
  }
  const size_t limit = body_limit_for(parser.get().target(), opt);
  if (parser.content_length() && *parser.content_length() > limit) {
    co_await write_final_error(
        stream,
        simple_error(Status::payload_too_large, "body_too_large", "request body exceeds the limit"),
        opt.read_timeout);
    co_return std::nullopt;
  }
  parser.body_limit(limit);  // still enforced for chunked bodies
  IncomingRequest in;
  if (!parser.is_done()) {
    if (expects_continue(parser.get())) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue), use_tuple);
      if (wec) co_return std::nullopt;
    }
    beast::error_code read_ec;
    if (should_spool(parser.get(), opt)) {
      auto spooled = co_await read_body_to_spool(stream, buffer, parser, limit, opt.spool_dir,
                                                 opt.read_timeout, in.request);
      if (spooled.write_failed) {
        co_await write_final_error(stream,
                                   simple_error(Status::insufficient_storage, "spool_failed",
                                                "the upload could not be stored"),
                                   opt.read_timeout);
        co_return std::nullopt;
      }
      read_ec = spooled.ec;
      in.upload = std::move(spooled.body);
    } else {
      auto [ec2, n2] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
      read_ec = ec2;
    }
    if (read_ec) {
      if (auto error = body_read_error(read_ec)) {
        co_await write_final_error(stream, std::move(*error), opt.read_timeout);
      }
      co_return std::nullopt;
    }
  }
  if (!in.upload) in.request = parser.release();
  co_return in;
}

}  // namespace cp::http
