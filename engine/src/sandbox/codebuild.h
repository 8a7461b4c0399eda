#pragma once
// Runs the toolchain Deploy builds a function's code with (lambdesk/engine/codebuild.h), in the
// staged tree, outside every sandbox: compilers read sources, they never run them (annotation
// processors are off, cgo is off, no network is used).

#include "lambdesk/engine/codebuild.h"
#include "lambdesk/engine/result.h"
#include "sandbox/sandbox.h"

#include <chrono>
#include <filesystem>
#include <string>

namespace lambdesk::engine {

struct BuildRequest {
    std::filesystem::path tree;     // the function's code; outputs are written into it
    RuntimeInfo runtime;            // the runtime the code is for (its JDK for Java)
    std::string architecture;       // "x86_64" | "arm64"
    std::filesystem::path cacheDir; // the toolchains' caches, kept between builds
    std::chrono::seconds limit{300};
};

// Builds when buildKindFor() says so; InvalidParameter "Build failed: ..." with the compiler's
// output when the code does not compile.
Result<void> buildFunctionCode(const BuildRequest &request);

} // namespace lambdesk::engine
