#pragma once
// The error document of Lambda's Runtime API and of a failed Invoke's payload:
// {"errorMessage": ..., "errorType": ...}, the shape the runtimes post and clients parse.

#include <string>

namespace lambdesk::engine {

std::string errorDocument(const std::string &errorType, const std::string &errorMessage);

// errorType of a document a runtime posted, or `fallback` when the body is not one.
std::string errorTypeOf(const std::string &document, const std::string &fallback);

// errorMessage of such a document; the body itself when it is not one.
std::string errorMessageOf(const std::string &document);

} // namespace lambdesk::engine
