#include "sandbox/toolchainbuild.h"

#include "sandbox/processsupervisor.h"
#include "sandbox/runtimecatalog.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// What a failed build's message keeps of the compiler's output.
constexpr std::size_t kMaxOutputBytes = std::size_t(32) * 1024;
constexpr const char *kGoCandidates[] = {"/usr/bin/go", "/usr/lib/go/bin/go",
                                         "/usr/local/go/bin/go"};
// The build ID Lambdesk gives the bootstraps it builds, so that it never overwrites one the
// function brought (an aws-lambda-go project built elsewhere, with its module cache).
constexpr const char *kGoBuildId = "lambdesk-build";

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct ToolRun {
    int status = -1;
    bool timedOut = false;
    std::string output; // stdout and stderr, in order, capped
};

// Runs argv with `environment` in `dir` (through env -C, as spawns take no working directory),
// collecting its output; the process group is killed at the deadline or if reading fails.
Result<ToolRun> runTool(const std::vector<std::string> &argv, std::vector<std::string> environment,
                        const fs::path &dir, Clock::time_point deadline)
{
    auto pipe = procsandbox::makePipe();
    if (!pipe)
        return pipe.error();
    procsandbox::SpawnRequest request;
    request.argv = {"/usr/bin/env", "-C", dir.string()};
    request.argv.insert(request.argv.end(), argv.begin(), argv.end());
    request.environment = std::move(environment);
    request.stdoutFd = pipe->write.get();
    request.stderrFd = pipe->write.get();
    auto pid = procsandbox::ProcessSupervisor::instance().spawn(request);
    pipe->write.reset();
    if (!pid)
        return pid.error();
    ToolRun run;
    char buffer[4096];
    bool finished = false;
    while (!finished) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            run.timedOut = true;
            break;
        }
        pollfd fd{pipe->read.get(), POLLIN, 0};
        const int ready = ::poll(&fd, 1, static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        const ssize_t n = ::read(pipe->read.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            finished = n == 0; // end of output: the compiler is done
            break;
        }
        if (run.output.size() < kMaxOutputBytes)
            run.output.append(
                buffer, std::min<std::size_t>(std::size_t(n), kMaxOutputBytes - run.output.size()));
    }
    if (!finished)
        ::kill(-*pid, SIGKILL); // its own process group: the compiler's children go too
    run.status = procsandbox::waitForExit(*pid);
    return run;
}

Result<void> failed(const std::string &tool, const ToolRun &run, std::chrono::seconds limit)
{
    if (run.timedOut)
        return makeError(ErrorCode::InvalidParameter,
                         "Build failed (" + tool + "): not finished within " +
                             std::to_string(limit.count()) + " seconds");
    std::string output = run.output;
    while (!output.empty() && (output.back() == '\n' || output.back() == ' '))
        output.pop_back();
    return makeError(ErrorCode::InvalidParameter, "Build failed (" + tool + ": " +
                                                      procsandbox::describeWaitStatus(run.status) +
                                                      "):\n" + output);
}

// A name javac reads from its argument file as one source and nothing else: no quotes, escapes,
// spaces, line breaks or option-like segments.
bool plainSourceName(const std::string &path)
{
    if (path.empty())
        return false;
    std::size_t segment = 0;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '/') {
            segment = i + 1;
            continue;
        }
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '.' || c == '-';
        if (!plain || (c == '-' && i == segment))
            return false;
    }
    return true;
}

// Moves what javac wrote into `out` into the tree at the same package paths. In each package
// directory the build writes, the classes it did not write are the last build's: they go.
Result<void> installClasses(const fs::path &out, const fs::path &tree)
{
    std::set<fs::path> packages;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(out, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec))
            packages.insert(it->path().parent_path().lexically_relative(out));
    if (ec)
        return makeError(ErrorCode::ServiceError, "cannot read javac's output: " + ec.message());
    for (const fs::path &package : packages) {
        const fs::path target = tree / package;
        fs::create_directories(target, ec);
        for (const auto &entry : fs::directory_iterator(target, ec))
            if (entry.is_regular_file(ec) && entry.path().extension() == ".class")
                fs::remove(entry.path(), ec);
        for (const auto &entry : fs::directory_iterator(out / package, ec))
            if (entry.is_regular_file(ec))
                fs::rename(entry.path(), target / entry.path().filename(), ec);
        if (ec)
            return makeError(ErrorCode::ServiceError, "cannot install the classes of " +
                                                          package.generic_string() + ": " +
                                                          ec.message());
    }
    return {};
}

// Maven's src/main/resources go to the root of the classes, as the jar Maven builds has them.
Result<void> installResources(const fs::path &tree)
{
    const fs::path resources = tree / "src" / "main" / "resources";
    std::error_code ec;
    if (!fs::is_directory(resources, ec))
        return {};
    for (auto it = fs::recursive_directory_iterator(resources, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        const fs::path target = tree / it->path().lexically_relative(resources);
        fs::create_directories(target.parent_path(), ec);
        fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing, ec);
    }
    if (ec)
        return makeError(ErrorCode::ServiceError,
                         "cannot copy src/main/resources: " + ec.message());
    return {};
}

// go.mod may replace a module with a directory: only one inside the function's code.
Result<void> checkGoReplacements(const fs::path &tree)
{
    std::ifstream file(tree / "go.mod");
    std::string line;
    while (std::getline(file, line)) {
        const auto arrow = line.find("=>");
        if (arrow == std::string::npos)
            continue;
        std::istringstream rest(line.substr(arrow + 2));
        std::string target;
        rest >> target;
        if (target.empty() || (target[0] != '/' && target[0] != '.'))
            continue; // a module path and version, from the vendor directory
        const fs::path resolved = (tree / target).lexically_normal();
        const auto inside = resolved.lexically_relative(tree);
        if (target[0] == '/' || inside.empty() || *inside.begin() == "..")
            return makeError(
                ErrorCode::InvalidParameter,
                "Build failed: go.mod replaces a module with " + target +
                    ", outside the function's code; vendor it instead (go mod vendor)");
    }
    return {};
}

bool builtByLambdesk(const fs::path &bootstrap)
{
    std::ifstream file(bootstrap, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(file)),
                              std::istreambuf_iterator<char>());
    return content.find(std::string("Go\0\0", 4) + kGoBuildId) != std::string::npos;
}

} // namespace

Result<void> buildJava(const BuildRequest &request, const std::vector<std::string> &paths)
{
    const fs::path javac = request.runtime.interpreter.parent_path() / "javac";
    if (::access(javac.c_str(), X_OK) != 0)
        return makeError(ErrorCode::ServiceError,
                         "Build failed: no javac beside " + request.runtime.interpreter.string() +
                             " (install the JDK, not only the JRE: apt install openjdk-" +
                             std::to_string(jdkFeatureVersion(request.runtime.interpreter)) +
                             "-jdk-headless)");
    // What Lambda's class path has: the runtime's API, then the function's jars. Tests
    // (src/test) are not part of the function.
    std::vector<std::string> sources;
    std::string classPath = javaApiJar(request.runtime).string();
    for (const auto &path : paths) {
        if (endsWith(path, ".java") && path.rfind("src/test/", 0) != 0) {
            if (!plainSourceName(path))
                return makeError(ErrorCode::InvalidParameter,
                                 "Build failed: javac cannot take the file name '" + path +
                                     "' (letters, digits, _ $ . - and / only)");
            sources.push_back("./" + path);
        } else if (path.rfind("lib/", 0) == 0 && endsWith(path, ".jar")) {
            if (path.find(':') != std::string::npos)
                return makeError(ErrorCode::InvalidParameter,
                                 "Build failed: a class path cannot hold the jar '" + path +
                                     "' (a ':' in its name)");
            classPath.append(":").append((request.tree / path).string());
        }
    }
    if (sources.empty())
        return {};
    const int asked = javaFeatureVersion(request.runtime.id);
    const int jdk = jdkFeatureVersion(request.runtime.interpreter);
    const int release = jdk > 0 ? std::min(asked, jdk) : asked;
    // javac writes into a directory of its own, never through the tree's directories; the
    // source list goes in a file (a large project outgrows a command line).
    const fs::path work = request.tree.parent_path() / "javac";
    std::error_code ec;
    fs::remove_all(work, ec);
    fs::create_directories(work / "classes", ec);
    {
        std::ofstream list(work / "sources.txt");
        for (const auto &source : sources)
            list << source << '\n';
        if (!list)
            return makeError(ErrorCode::ServiceError,
                             "cannot write javac's source list in " + work.string());
    }
    const std::vector<std::string> argv{javac.string(),
                                        "--release",
                                        std::to_string(release),
                                        "-proc:none",
                                        "-encoding",
                                        "UTF-8",
                                        "-nowarn",
                                        "-Xmaxerrs",
                                        "100",
                                        "-d",
                                        (work / "classes").string(),
                                        "-cp",
                                        classPath,
                                        "@" + (work / "sources.txt").string()};
    auto run =
        runTool(argv, {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + request.cacheDir.string()},
                request.tree, Clock::now() + request.limit);
    Result<void> outcome;
    if (!run)
        outcome = run.error();
    else if (run->status != 0)
        outcome = failed("javac", *run, request.limit);
    else if (auto installed = installClasses(work / "classes", request.tree); !installed)
        outcome = installed;
    else
        outcome = installResources(request.tree);
    fs::remove_all(work, ec);
    return outcome;
}

Result<void> buildGo(const BuildRequest &request)
{
    std::error_code ec;
    const fs::path bootstrap = request.tree / "bootstrap";
    if (fs::exists(bootstrap, ec) && !builtByLambdesk(bootstrap))
        return {}; // the function's own bootstrap: what it brought runs, as on Lambda
    fs::path go;
    for (const char *candidate : kGoCandidates)
        if (::access(candidate, X_OK) == 0) {
            go = candidate;
            break;
        }
    if (go.empty())
        return makeError(ErrorCode::ServiceError,
                         "Build failed: no Go toolchain in /usr/bin (apt install golang-go)");
    if (auto replacements = checkGoReplacements(request.tree); !replacements)
        return replacements;
    const std::string cache = request.cacheDir.string();
    // No network and nothing of the machine's: the standard library and what the module
    // vendors, no workspace file from a parent directory, no cgo, the function's architecture.
    std::vector<std::string> environment{"PATH=/usr/bin:/bin",
                                         "HOME=" + cache,
                                         "GOCACHE=" + cache + "/go-build",
                                         "GOPATH=" + cache + "/go",
                                         "GOOS=linux",
                                         std::string("GOARCH=") +
                                             (request.architecture == "arm64" ? "arm64" : "amd64"),
                                         "CGO_ENABLED=0",
                                         "GOPROXY=off",
                                         "GOSUMDB=off",
                                         "GOWORK=off",
                                         "GOTOOLCHAIN=local",
                                         "GOFLAGS="};
    std::vector<std::string> argv{go.string(),
                                  "build",
                                  "-o",
                                  "bootstrap",
                                  "-trimpath",
                                  "-buildvcs=false",
                                  std::string("-ldflags=-buildid=") + kGoBuildId};
    if (fs::exists(request.tree / "vendor" / "modules.txt", ec))
        argv.push_back("-mod=vendor");
    argv.push_back(".");
    auto run = runTool(argv, environment, request.tree, Clock::now() + request.limit);
    if (!run)
        return run.error();
    if (run->status != 0)
        return failed("go build", *run, request.limit);
    return {};
}

} // namespace lambdesk::engine
