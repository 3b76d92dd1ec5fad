#include "core/body_spooler.h"

#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <vector>

namespace cp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;

bool should_spool(const Request& header, bool under_upload_prefix) {
  if (!under_upload_prefix) return false;
  if (header.method() != Method::post && header.method() != Method::put) return false;
  auto ct = header[bhttp::field::content_type];
  // JSON bodies stay in memory: handlers parse them (json_body) and they are small.
  return ct.find("json") == std::string_view::npos;
}

asio::awaitable<SpoolResult> read_body_to_spool(beast::tcp_stream& stream,
                                                beast::flat_buffer& buffer,
                                                bhttp::request_parser<bhttp::string_body>& parser,
                                                size_t limit, std::filesystem::path dir,
                                                std::chrono::milliseconds idle_timeout,
                                                Request& header_out) {
  constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);
  SpoolResult result;
  bhttp::request_parser<bhttp::buffer_body> body_parser{std::move(parser)};
  body_parser.body_limit(limit);
  std::unique_ptr<SpoolWriter> writer;
  try {
    writer = std::make_unique<SpoolWriter>(dir);
  } catch (const std::exception&) {
    result.write_failed = true;
    co_return result;
  }
  std::vector<char> chunk(256 * 1024);
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
    const size_t filled = chunk.size() - body_parser.get().body().size;
    try {
      writer->append(std::string_view(chunk.data(), filled));
    } catch (const std::exception&) {
      result.write_failed = true;
      co_return result;
    }
  }
  try {
    result.body = writer->finish();
  } catch (const std::exception&) {
    result.write_failed = true;
    co_return result;
  }
  auto msg = body_parser.release();
  header_out = Request(std::move(msg.base()));
  co_return result;
}

}  // namespace cp::http
