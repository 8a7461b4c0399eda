#pragma once
// The two builds Deploy runs (sandbox/codebuild.h): javac for a java function's sources, go build
// for a Go module on a provided runtime. Each refuses code it cannot build safely, runs the
// compiler with an environment of its own under a deadline, and leaves its outputs in the tree.

#include "lambdesk/engine/result.h"
#include "sandbox/codebuild.h"

#include <string>
#include <vector>

namespace lambdesk::engine {

// paths: the tree's regular files ('/'-separated, relative, sorted).
Result<void> buildJava(const BuildRequest &request, const std::vector<std::string> &paths);
Result<void> buildGo(const BuildRequest &request);

} // namespace lambdesk::engine
