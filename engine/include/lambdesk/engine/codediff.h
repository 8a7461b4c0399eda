#pragma once
// Line differences between two sets of a function's files, as the Versions tab compares two
// versions or a version and the draft. Every line of a changed file is kept (as context when
// unchanged), so a viewer can show the whole file with the changes marked.

#include "lambdesk/engine/types.h"

#include <string>
#include <vector>

namespace lambdesk::engine {

struct DiffLine {
    enum class Kind { Context, Added, Removed };
    Kind kind = Kind::Context;
    int oldLine = 0;  // 1-based in the earlier file; 0 for an added line
    int newLine = 0;  // 1-based in the later file; 0 for a removed line
    std::string text; // without its line break
};

struct FileDiff {
    enum class Change { Added, Deleted, Modified };
    std::string path;
    Change change = Change::Modified;
    bool binary = false;      // no lines: the content is not text
    bool modeChanged = false; // the executable bit alone may be what changed
    int addedLines = 0;
    int removedLines = 0;
    std::vector<DiffLine> lines;
};

// One side of a comparison: a version or alias ("" or "$LATEST": the deployed code), or the
// console's draft (the deployed code when there is none).
struct CodeRevision {
    std::string qualifier;
    bool draft = false;
};

// The files that differ from `before` to `after`, sorted by path (libgit2's line diff).
std::vector<FileDiff> diffCodeFiles(const std::vector<CodeFile> &before,
                                    const std::vector<CodeFile> &after);

} // namespace lambdesk::engine
