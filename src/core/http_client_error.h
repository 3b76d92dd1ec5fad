#pragma once
#include <stdexcept>
#include <string>

namespace cp::http {

// A failed outgoing HTTP exchange (no HTTP answer at all; HTTP errors are responses).
struct HttpClientError : std::runtime_error {
  enum class Kind { connect, timeout, io, protocol };
  HttpClientError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  Kind kind;
};

}  // namespace cp::http
