#include "sandbox/codebuild.h"

#include "sandbox/processsupervisor.h"
#include "sandbox/runtimecatalog.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <regex>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// What a failed build's message keeps of the compiler's output.
constexpr std::size_t kMaxOutputBytes = 32 * 1024;
constexpr const char *kGoCandidates[] = {"/usr/bin/go", "/usr/lib/go/bin/go",
                                         "/usr/local/go/bin/go"};

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
// collecting its output, killed at the deadline.
Result<ToolRun> runTool(std::vector<std::string> argv, std::vector<std::string> environment,
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
    while (true) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            ::kill(-*pid, SIGKILL); // its own process group: the compiler's children go too
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
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (run.output.size() < kMaxOutputBytes)
            run.output.append(buffer,
                              std::min<std::size_t>(n, kMaxOutputBytes - run.output.size()));
    }
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

// The files of the tree, '/'-separated and relative, in name order; links are not followed.
std::vector<std::string> treePaths(const fs::path &tree)
{
    std::vector<std::string> paths;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(tree, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && !it->is_symlink(ec))
            paths.push_back(it->path().lexically_relative(tree).generic_string());
    std::sort(paths.begin(), paths.end());
    return paths;
}

int jdkMajor(const fs::path &java)
{
    std::ifstream release(java.parent_path().parent_path() / "release");
    std::string line;
    while (std::getline(release, line))
        if (line.rfind("JAVA_VERSION=\"", 0) == 0)
            return std::atoi(line.c_str() + 14);
    return 0;
}

Result<void> buildJava(const BuildRequest &request, const std::vector<std::string> &paths)
{
    const fs::path javac = request.runtime.interpreter.parent_path() / "javac";
    if (::access(javac.c_str(), X_OK) != 0)
        return makeError(ErrorCode::InvalidParameter, "Build failed: no javac beside " +
                                                          request.runtime.interpreter.string() +
                                                          " (apt install openjdk-17-jdk-headless)");
    // The classes of the last build go: what the sources no longer declare must not linger.
    std::vector<std::string> sources;
    std::string classPath = javaApiJar(request.runtime).string();
    for (const char *jar :
         {"/usr/share/java/jackson-databind.jar", "/usr/share/java/jackson-core.jar",
          "/usr/share/java/jackson-annotations.jar"})
        classPath.append(":").append(jar);
    for (const auto &path : paths) {
        if (endsWith(path, ".java"))
            sources.push_back(path);
        else if (endsWith(path, ".class") && path.rfind("lib/", 0) != 0)
            fs::remove(request.tree / path);
        else if (path.rfind("lib/", 0) == 0 && endsWith(path, ".jar"))
            classPath.append(":").append((request.tree / path).string());
    }
    const int asked = std::atoi(request.runtime.id.c_str() + 4);
    const int jdk = jdkMajor(request.runtime.interpreter);
    const int release = jdk > 0 ? std::min(asked, jdk) : asked;
    // The source list goes in a file beside the tree: a large project outgrows a command line.
    const fs::path list = request.tree.parent_path() / "javac-sources.txt";
    {
        std::ofstream out(list);
        for (const auto &source : sources)
            out << '"' << source << "\"\n";
    }
    std::vector<std::string> argv{javac.string(),
                                  "--release",
                                  std::to_string(release),
                                  "-proc:none",
                                  "-encoding",
                                  "UTF-8",
                                  "-nowarn",
                                  "-Xmaxerrs",
                                  "100",
                                  "-d",
                                  ".",
                                  "-cp",
                                  classPath,
                                  "@" + list.string()};
    auto run =
        runTool(argv, {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + request.cacheDir.string()},
                request.tree, Clock::now() + request.limit);
    std::error_code ec;
    fs::remove(list, ec);
    if (!run)
        return run.error();
    if (run->status != 0)
        return failed("javac", *run, request.limit);
    return {};
}

Result<void> buildGo(const BuildRequest &request)
{
    fs::path go;
    for (const char *candidate : kGoCandidates)
        if (::access(candidate, X_OK) == 0) {
            go = candidate;
            break;
        }
    if (go.empty())
        return makeError(ErrorCode::InvalidParameter,
                         "Build failed: no Go toolchain in /usr/bin (apt install golang-go)");
    const std::string cache = request.cacheDir.string();
    // No network: the standard library and what the module vendors; no cgo, the function's
    // architecture, and nothing of the machine's paths in the binary.
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
                                         "GOTOOLCHAIN=local",
                                         "GOFLAGS="};
    std::vector<std::string> argv{go.string(), "build",     "-o",
                                  "bootstrap", "-trimpath", "-buildvcs=false"};
    if (fs::exists(request.tree / "vendor" / "modules.txt"))
        argv.push_back("-mod=vendor");
    argv.push_back(".");
    auto run = runTool(argv, environment, request.tree, Clock::now() + request.limit);
    if (!run)
        return run.error();
    if (run->status != 0)
        return failed("go build", *run, request.limit);
    return {};
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
    const auto paths = treePaths(request.tree);
    switch (buildKindFor(request.runtime.id, paths)) {
    case BuildKind::Java:
        return buildJava(request, paths);
    case BuildKind::Go:
        return buildGo(request);
    case BuildKind::None:
        break;
    }
    return {};
}

} // namespace lambdesk::engine
