#pragma once
// Whether text is JSON, checked without building a document (a 6 MB Invoke payload is only
// scanned), and nlohmann's words for why not.

#include <optional>
#include <string>

namespace lambdesk::engine::common {

// nullopt when `text` is one JSON value; else the parser's description of the first problem.
std::optional<std::string> jsonSyntaxError(const std::string &text);

} // namespace lambdesk::engine::common
