#pragma once
// OpenAPI 3.0 document generated from route tables: paths, methods, parameters from {names},
// request/response bodies from the routes' Schemas, security from their Access, errors as
// problem+json. Nothing is written by hand, so the document cannot drift from the code.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/router.h"

namespace cp::http {

boost::json::object openapi_document(const std::string& title, const std::string& version,
                                     const std::vector<const Router*>& routers);

// What keeps the document from describing `routers` fully: a route whose JSON success body has
// no response Schema (no `produces`, not 204/101), or a component name given to two different
// shapes. Empty when complete; route tests assert it.
std::vector<std::string> documentation_problems(const std::vector<const Router*>& routers);

// Swagger UI page that loads its assets from `assets_prefix` and the spec from `spec_url`.
std::string swagger_ui_html(const std::string& assets_prefix, const std::string& spec_url);

}  // namespace cp::http
