#pragma once
// Errors as RFC 9457 problem+json. Handlers and domain logic throw ApiError; the server maps it
// (and any other exception, as a 500 without internals) to a problem document with the
// request id, a stable machine-readable `code` and, where one input is at fault, its `field`.
#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>

namespace cp::http {

using Status = boost::beast::http::status;

class ApiError : public std::runtime_error {
 public:
  ApiError(Status status, std::string code, std::string detail, std::string field = {})
      : std::runtime_error(detail),
        status_(status),
        code_(std::move(code)),
        detail_(std::move(detail)),
        field_(std::move(field)) {}

  Status status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& detail() const { return detail_; }
  const std::string& field() const { return field_; }
  // Extra members merged into the problem document (e.g. retry_after).
  boost::json::object& extra() { return extra_; }
  const boost::json::object& extra() const { return extra_; }

 private:
  Status status_;
  std::string code_;
  std::string detail_;
  std::string field_;
  boost::json::object extra_;
};

// Shorthands for the common cases; `code` values are stable API.
inline ApiError bad_request(std::string field, std::string detail,
                            std::string code = "invalid_field") {
  return ApiError(Status::bad_request, std::move(code), std::move(detail), std::move(field));
}
inline ApiError unauthorized(std::string detail, std::string code = "unauthorized") {
  return ApiError(Status::unauthorized, std::move(code), std::move(detail));
}
inline ApiError forbidden(std::string detail, std::string code = "forbidden") {
  return ApiError(Status::forbidden, std::move(code), std::move(detail));
}
inline ApiError not_found(std::string detail, std::string code = "not_found") {
  return ApiError(Status::not_found, std::move(code), std::move(detail));
}
inline ApiError conflict(std::string detail, std::string code = "conflict",
                         std::string field = {}) {
  return ApiError(Status::conflict, std::move(code), std::move(detail), std::move(field));
}
inline ApiError unavailable(std::string detail, std::string code = "service_unavailable") {
  return ApiError(Status::service_unavailable, std::move(code), std::move(detail));
}

// The problem document for an error (title derived from the status).
boost::json::object problem_document(const ApiError& e, const std::string& request_id,
                                     const std::string& instance);

}  // namespace cp::http
