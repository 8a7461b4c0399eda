#pragma once
// JSON text checks for the event editor and the result box. Any JSON value is accepted at the
// top level ("abc", 42, [..], {..}), as Lambda accepts any JSON payload.

#include <QString>
#include <optional>

namespace lambdesk::app {

struct JsonProblem {
    int line = 1;   // 1-based
    int column = 1; // 1-based, in characters
    QString message;
};

// nullopt when text is valid JSON.
std::optional<JsonProblem> checkJson(const QString &text);
// Indented JSON when text parses as an object or array; other values come back trimmed; text
// that does not parse comes back unchanged (a function may return anything).
QString prettyJson(const QString &text);

} // namespace lambdesk::app
