#pragma once
// Deploy builds what a runtime cannot run as written: Java sources are compiled (javac) into
// classes beside them, a Go module is built (go build) into the custom runtime's bootstrap. The
// Lambda console cannot edit compiled languages; Lambdesk's editor can, and Deploy compiles.

#include <string>
#include <vector>

namespace lambdesk::engine {

enum class BuildKind {
    None, // stored as it comes
    Java, // a java runtime and .java sources: javac into classes at the package root
    Go,   // a provided runtime and go.mod at the top: go build into ./bootstrap
};

// What Deploy does with code of these paths ('/'-separated, relative) for this runtime.
BuildKind buildKindFor(const std::string &runtimeId, const std::vector<std::string> &paths);

// One compiler message of a failed build, at its file and line (1-based; column 0: the line).
struct BuildDiagnostic {
    std::string path; // relative to the function's code, as the editor names it
    int line = 0;
    int column = 0;
    std::string message;
};

// The compiler's errors in a failed build's error message: javac's "path:line: error: text"
// and go's "./path:line:col: text".
std::vector<BuildDiagnostic> buildDiagnostics(const std::string &errorMessage);

} // namespace lambdesk::engine
