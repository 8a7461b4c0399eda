#include "sandbox/codebuild.h"

#include "sandbox/toolchainbuild.h"

#include <algorithm>
#include <cstdlib>
#include <regex>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct TreeListing {
    std::vector<std::string> files;    // regular files, '/'-separated, relative, sorted
    std::vector<std::string> symlinks; // links are never followed
};

Result<TreeListing> listTree(const fs::path &tree)
{
    TreeListing listing;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(tree, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string path = it->path().lexically_relative(tree).generic_string();
        if (it->is_symlink(ec))
            listing.symlinks.push_back(path);
        else if (it->is_regular_file(ec))
            listing.files.push_back(path);
    }
    if (ec)
        return makeError(ErrorCode::ServiceError, "cannot read the code to build: " + ec.message());
    std::sort(listing.files.begin(), listing.files.end());
    return listing;
}

} // namespace

BuildKind buildKindFor(const std::string &runtimeId, const std::vector<std::string> &paths)
{
    if (runtimeId.rfind("java", 0) == 0 &&
        std::any_of(paths.begin(), paths.end(),
                    [](const std::string &p) { return endsWith(p, ".java"); }))
        return BuildKind::Java;
    if (runtimeId.rfind("provided", 0) == 0 &&
        std::find(paths.begin(), paths.end(), "go.mod") != paths.end())
        return BuildKind::Go;
    return BuildKind::None;
}

std::vector<BuildDiagnostic> buildDiagnostics(const std::string &errorMessage)
{
    // "src/example/Hello.java:12: error: ';' expected" (javac) or "./main.go:7:2: undefined: x"
    // (go).
    static const std::regex first(
        R"(^(?:\./)?([^\s:][^:\n]*\.(?:java|go)):(\d+):(?:(\d+):)? (?:error: )?(.*)$)");
    std::vector<std::string> lines;
    for (std::size_t start = 0; start <= errorMessage.size();) {
        std::size_t end = errorMessage.find('\n', start);
        if (end == std::string::npos)
            end = errorMessage.size();
        lines.push_back(errorMessage.substr(start, end - start));
        start = end + 1;
    }
    std::vector<BuildDiagnostic> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch match;
        if (!std::regex_match(lines[i], match, first) ||
            lines[i].find(": warning: ") != std::string::npos)
            continue;
        BuildDiagnostic diagnostic{match[1], std::atoi(match[2].str().c_str()),
                                   match[3].matched ? std::atoi(match[3].str().c_str()) : 0,
                                   match[4]};
        // javac follows with the source line, a caret under the column, then details such as
        // "  symbol:   method greet(Map<String,Object>)".
        if (i + 2 < lines.size() && lines[i + 2].find_first_not_of(" \t^") == std::string::npos &&
            lines[i + 2].find('^') != std::string::npos) {
            diagnostic.column = static_cast<int>(lines[i + 2].find('^')) + 1;
            for (std::size_t j = i + 3; j < lines.size() && lines[j].rfind("  ", 0) == 0; ++j) {
                const auto text = lines[j].find_first_not_of(' ');
                diagnostic.message.append("\n").append(lines[j].substr(text));
            }
        }
        out.push_back(std::move(diagnostic));
    }
    return out;
}

Result<void> buildFunctionCode(const BuildRequest &request)
{
    auto listing = listTree(request.tree);
    if (!listing)
        return listing.error();
    const BuildKind kind = buildKindFor(request.runtime.id, listing->files);
    if (kind == BuildKind::None)
        return {};
    // A compiler follows links: one that leads out of the code (or comes to, as the build makes
    // directories) would let it read or write the machine's files.
    if (!listing->symlinks.empty())
        return makeError(ErrorCode::InvalidParameter,
                         "Build failed: the code holds a symbolic link (" +
                             listing->symlinks.front() + "); a build takes regular files only");
    return kind == BuildKind::Java ? buildJava(request, listing->files) : buildGo(request);
}

} // namespace lambdesk::engine
