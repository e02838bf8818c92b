// File: http/openapi.h
//
// The OpenAPI 3 description of API v1 (src/http/openapi.json, embedded at build time so the
// served document is always the one in the source tree). Thread-safe.
#pragma once

#include <string_view>

namespace mittari::http {

std::string_view OpenApiDocument();

}  // namespace mittari::http
