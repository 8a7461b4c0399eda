#include "lambdesk/engine/codediff.h"

#include "store/gitrepo.h"

#include <git2.h>

#include <algorithm>
#include <climits>
#include <map>
#include <stdexcept>

namespace lambdesk::engine {
namespace {

int collectLine(const git_diff_delta *, const git_diff_hunk *, const git_diff_line *line,
                void *payload)
{
    auto &diff = *static_cast<FileDiff *>(payload);
    DiffLine out;
    switch (line->origin) {
    case GIT_DIFF_LINE_ADDITION:
        out.kind = DiffLine::Kind::Added;
        ++diff.addedLines;
        break;
    case GIT_DIFF_LINE_DELETION:
        out.kind = DiffLine::Kind::Removed;
        ++diff.removedLines;
        break;
    case GIT_DIFF_LINE_CONTEXT:
        out.kind = DiffLine::Kind::Context;
        break;
    default: // "\ No newline at end of file" notes
        return 0;
    }
    out.oldLine = line->old_lineno > 0 ? line->old_lineno : 0;
    out.newLine = line->new_lineno > 0 ? line->new_lineno : 0;
    out.text.assign(line->content, line->content_len);
    while (!out.text.empty() && (out.text.back() == '\n' || out.text.back() == '\r'))
        out.text.pop_back();
    diff.lines.push_back(std::move(out));
    return 0;
}

int noteBinary(const git_diff_delta *delta, float, void *payload)
{
    if (delta->flags & GIT_DIFF_FLAG_BINARY)
        static_cast<FileDiff *>(payload)->binary = true;
    return 0;
}

FileDiff diffOne(const std::string &path, const CodeFile *before, const CodeFile *after)
{
    FileDiff diff;
    diff.path = path;
    diff.change = !before  ? FileDiff::Change::Added
                  : !after ? FileDiff::Change::Deleted
                           : FileDiff::Change::Modified;
    diff.modeChanged = before && after && before->executable != after->executable;
    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    // The whole file as context: the viewer shows it all, with the changes marked.
    options.context_lines = INT_MAX / 2;
    const int rc = git_diff_buffers(
        before ? before->content.data() : nullptr, before ? before->content.size() : 0,
        path.c_str(), after ? after->content.data() : nullptr, after ? after->content.size() : 0,
        path.c_str(), &options, noteBinary, nullptr, nullptr, collectLine, &diff);
    if (rc != 0) {
        const git_error *error = git_error_last();
        throw std::runtime_error(std::string("diff of ") + path + ": " +
                                 (error ? error->message : "libgit2 failed"));
    }
    if (diff.binary) {
        diff.lines.clear();
    } else if (diff.lines.empty() && after) {
        // Only the executable bit changed: libgit2 has no lines for that; show the file whole.
        int number = 0;
        std::size_t start = 0;
        const std::string &text = after->content;
        while (start < text.size()) {
            const std::size_t end = std::min(text.find('\n', start), text.size());
            std::string line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            ++number;
            diff.lines.push_back({DiffLine::Kind::Context, number, number, std::move(line)});
            start = end + 1;
        }
    }
    return diff;
}

} // namespace

std::vector<FileDiff> diffCodeFiles(const std::vector<CodeFile> &before,
                                    const std::vector<CodeFile> &after)
{
    const detail::GitLibrary git;
    std::map<std::string, std::pair<const CodeFile *, const CodeFile *>> byPath;
    for (const CodeFile &file : before)
        byPath[file.path].first = &file;
    for (const CodeFile &file : after)
        byPath[file.path].second = &file;
    std::vector<FileDiff> diffs;
    for (const auto &[path, sides] : byPath) {
        const auto [old, now] = sides;
        if (old && now && old->content == now->content && old->executable == now->executable)
            continue;
        diffs.push_back(diffOne(path, old, now));
    }
    return diffs;
}

} // namespace lambdesk::engine
