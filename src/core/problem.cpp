#include "core/problem.h"

#include <boost/beast/http/status.hpp>

namespace cp::http {

boost::json::object problem_document(const ApiError& e, const std::string& request_id,
                                     const std::string& instance) {
  boost::json::object doc;
  doc["type"] = "https://cloudphone.dev/problems/" + e.code();
  doc["title"] = std::string(boost::beast::http::obsolete_reason(e.status()));
  doc["status"] = static_cast<int>(e.status());
  doc["code"] = e.code();
  doc["detail"] = e.detail();
  if (!e.field().empty()) {
    doc["field"] = e.field();
  }
  if (!instance.empty()) {
    doc["instance"] = instance;
  }
  doc["request_id"] = request_id;
  for (const auto& kv : e.extra()) {
    doc[kv.key()] = kv.value();
  }
  return doc;
}

}  // namespace cp::http
