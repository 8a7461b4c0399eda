#include "sandbox/runtimecatalog.h"

#include "sandbox/processsupervisor.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;

constexpr int kPythonMinors[] = {8, 9, 10, 11, 12, 13, 14};
constexpr int kNodeMajors[] = {16, 18, 20, 22, 24};
constexpr const char *kProvided[] = {"provided.al2023", "provided.al2", "provided"};
// Lambda's Ruby runtimes, all served by the one Ruby installed (Debian 12's is 3.1).
constexpr const char *kRubies[] = {"ruby3.2", "ruby3.3", "ruby3.4"};
// Lambda's Java runtimes on Amazon Linux 2/2023, each served by that JDK or the newest installed.
constexpr int kJavaMajors[] = {11, 17, 21};
constexpr const char *kJavaRuntimeJar = "lambdesk-java-runtime.jar";
constexpr const char *kJavaApiJar = "lambdesk-java-core.jar";
// What the runtime's jar names on its Class-Path (libjackson2-databind-java).
constexpr const char *kJacksonJars[] = {"/usr/share/java/jackson-databind.jar",
                                        "/usr/share/java/jackson-core.jar",
                                        "/usr/share/java/jackson-annotations.jar"};
// Lambda refuses these for create/update: InvalidParameterValueException.
constexpr const char *kDeprecated[] = {"nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10",
                                       "nodejs10.x", "nodejs12.x", "nodejs14.x", "python2.7", "python3.6",
                                       "python3.7", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1"};
// Real Lambda runtimes that Lambdesk has no bootstrap for.
constexpr const char *kOtherFamilies[] = {"java8",   "java8.al2", "java25",   "dotnetcore3.1",
                                          "dotnet6", "dotnet8",   "dotnet10", "go1.x",
                                          "ruby2.5", "ruby2.7",   "ruby4.0"};

// The sandbox shows only the host's /usr: an interpreter must live there, and be a real binary
// (a pyenv or nvm shim is a script that reaches into the user's home).
bool usableInterpreter(const fs::path &path, fs::path &resolved)
{
    std::error_code ec;
    resolved = fs::canonical(path, ec);
    if (ec || ::access(resolved.c_str(), X_OK) != 0)
        return false;
    const std::string text = resolved.string();
    if (text.rfind("/usr/", 0) != 0 || text.find("/.pyenv/") != std::string::npos)
        return false;
    std::ifstream file(resolved, std::ios::binary);
    char magic[4] = {};
    file.read(magic, 4);
    return file && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

// "v20.20.2" -> 20; 0 when the program does not answer.
int nodeMajorVersion(const fs::path &node)
{
    auto pipe = procsandbox::makePipe();
    if (!pipe)
        return 0;
    procsandbox::SpawnRequest request;
    request.argv = {node.string(), "--version"};
    request.environment = {"PATH=/usr/bin:/bin"};
    request.stdoutFd = pipe->write.get();
    auto pid = procsandbox::ProcessSupervisor::instance().spawn(request);
    pipe->write.reset();
    if (!pid)
        return 0;
    std::string text;
    char buffer[256];
    ssize_t n;
    while ((n = ::read(pipe->read.get(), buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            text.append(buffer, static_cast<std::size_t>(n));
    procsandbox::waitForExit(*pid);
    if (text.size() < 2 || text[0] != 'v')
        return 0;
    return std::atoi(text.c_str() + 1);
}

// Debian's JDKs (/usr/lib/jvm/java-N-openjdk-ARCH, which the microVM guest image copies too) by
// feature version, from each one's `release` file (JAVA_VERSION="17.0.15"); the newest first.
std::vector<std::pair<int, std::string>> installedJdks(std::map<int, fs::path> &javaByMajor)
{
    std::vector<std::pair<int, std::string>> found;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator("/usr/lib/jvm", ec)) {
        const std::string name = entry.path().filename().string();
        fs::path resolved;
        if (name.rfind("java-", 0) != 0 || name.find("-openjdk") == std::string::npos ||
            entry.is_symlink() || !usableInterpreter(entry.path() / "bin" / "java", resolved))
            continue;
        std::ifstream release(entry.path() / "release");
        std::string line;
        std::string version;
        while (std::getline(release, line))
            if (line.rfind("JAVA_VERSION=\"", 0) == 0)
                version = line.substr(14, line.find('"', 14) - 14);
        const int major = jdkFeatureVersion(entry.path() / "bin" / "java");
        if (major > 0 && javaByMajor.emplace(major, entry.path() / "bin" / "java").second)
            found.emplace_back(major, version);
    }
    std::sort(found.rbegin(), found.rend());
    return found;
}

std::string joinIds(const std::vector<RuntimeInfo> &runtimes)
{
    std::string text;
    for (const auto &runtime : runtimes) {
        if (runtime.id == "provided")
            continue; // deprecated Amazon Linux 1 alias, still served but not advertised
        text += (text.empty() ? "" : ", ") + runtime.id;
    }
    return text.empty() ? "none" : text;
}

} // namespace

RuntimeCatalog::RuntimeCatalog(std::filesystem::path runtimeDir) : m_runtimeDir(std::move(runtimeDir))
{
    std::vector<Availability> missing;
    const fs::path pythonBootstrap = m_runtimeDir / "python" / "bootstrap.py";
    for (int minor : kPythonMinors) {
        const std::string id = "python3." + std::to_string(minor);
        const std::string binary = "python3." + std::to_string(minor);
        fs::path found;
        for (const char *dir : {"/usr/bin/", "/usr/local/bin/"}) {
            fs::path resolved;
            if (usableInterpreter(fs::path(dir) / binary, resolved)) {
                found = fs::path(dir) / binary;
                break;
            }
        }
        if (found.empty()) {
            missing.push_back({id, false, "not installed (no /usr/bin/" + binary + " or /usr/local/bin/" + binary + ")"});
        } else if (!fs::exists(pythonBootstrap)) {
            missing.push_back({id, false, "the Lambdesk bootstrap is missing: " + pythonBootstrap.string()});
        } else {
            m_available.push_back({id, RuntimeKind::Python, found, pythonBootstrap});
            m_all.push_back({id, true, found.string()});
        }
    }

    // Several names may be the same binary; ask each binary once.
    const fs::path nodeBootstrap = m_runtimeDir / "node" / "bootstrap.js";
    std::vector<std::pair<fs::path, int>> nodes; // path as found, major version
    std::set<fs::path> asked;
    for (const char *candidate : {"/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"}) {
        fs::path resolved;
        if (!usableInterpreter(candidate, resolved) || !asked.insert(resolved).second)
            continue;
        if (int major = nodeMajorVersion(candidate); major > 0)
            nodes.emplace_back(candidate, major);
    }
    for (int major : kNodeMajors) {
        const std::string id = "nodejs" + std::to_string(major) + ".x";
        auto it = std::find_if(nodes.begin(), nodes.end(), [major](const auto &n) { return n.second == major; });
        if (it == nodes.end()) {
            std::string seen;
            for (const auto &[path, version] : nodes)
                seen += (seen.empty() ? "" : ", ") + path.string() + " is v" + std::to_string(version);
            missing.push_back({id, false, "no node " + std::to_string(major) + " in /usr/bin or /usr/local/bin"
                                              + (seen.empty() ? "" : " (" + seen + ")")});
        } else if (!fs::exists(nodeBootstrap)) {
            missing.push_back({id, false, "the Lambdesk bootstrap is missing: " + nodeBootstrap.string()});
        } else {
            m_available.push_back({id, RuntimeKind::Node, it->first, nodeBootstrap});
            m_all.push_back({id, true, it->first.string() + " (v" + std::to_string(major) + ")"});
        }
    }

    // Ruby: the newest rubyX.Y in /usr/bin serves each Lambda id, with a note when it is older.
    const fs::path rubyBootstrap = m_runtimeDir / "ruby" / "bootstrap.rb";
    fs::path ruby;
    std::string rubyVersion;
    for (const char *candidate : {"ruby3.4", "ruby3.3", "ruby3.2", "ruby3.1"}) {
        fs::path resolved;
        if (usableInterpreter(fs::path("/usr/bin") / candidate, resolved)) {
            ruby = fs::path("/usr/bin") / candidate;
            rubyVersion = std::string(candidate).substr(4);
            break;
        }
    }
    for (const char *id : kRubies) {
        if (ruby.empty()) {
            missing.push_back({id, false, "no Ruby in /usr/bin (apt install ruby)"});
        } else if (!fs::exists(rubyBootstrap)) {
            missing.push_back(
                {id, false, "the Lambdesk bootstrap is missing: " + rubyBootstrap.string()});
        } else {
            m_available.push_back({id, RuntimeKind::Ruby, ruby, rubyBootstrap});
            const std::string wanted = std::string(id).substr(4);
            std::string detail = ruby.string();
            if (wanted != rubyVersion)
                detail.append(" (Ruby ")
                    .append(rubyVersion)
                    .append(" stands in for ")
                    .append(wanted)
                    .append(")");
            m_all.push_back({id, true, detail});
        }
    }

    addJava(missing);

    for (const char *id : kProvided) {
        m_available.push_back({id, RuntimeKind::Provided, {}, {}});
        m_all.push_back({id, true, "the function's own bootstrap executable"});
    }
    for (const char *id : kOtherFamilies)
        missing.push_back({id, false,
                           std::string(id).rfind("dotnet", 0) == 0
                               ? ".NET is not in Debian 12's archive; a .NET function runs on "
                                 "provided.al2023 as a self-contained bootstrap (see the README)"
                               : "Lambdesk runs python, nodejs, ruby, java (11, 17, 21) and "
                                 "provided runtimes only"});
    m_all.insert(m_all.end(), missing.begin(), missing.end());
}

void RuntimeCatalog::addJava(std::vector<Availability> &missing)
{
    fs::path jar = m_runtimeDir / "java" / kJavaRuntimeJar;
    if (!fs::exists(jar))
        jar = fs::path(LAMBDESK_BUILD_RUNTIME_DIR) / "java" / kJavaRuntimeJar;
    std::map<int, fs::path> javaByMajor;
    const auto jdks = installedJdks(javaByMajor);
    const char *jackson = nullptr;
    for (const char *path : kJacksonJars)
        if (!jackson && !fs::exists(path))
            jackson = path;
    for (int major : kJavaMajors) {
        const std::string id = "java" + std::to_string(major);
        if (jdks.empty()) {
            missing.push_back(
                {id, false, "no JDK in /usr/lib/jvm (apt install openjdk-17-jdk-headless)"});
            continue;
        }
        if (!fs::exists(jar)) {
            missing.push_back({id, false,
                               "the Lambdesk Java runtime was not built (no JDK at build time): " +
                                   jar.string()});
            continue;
        }
        if (jackson) {
            missing.push_back(
                {id, false,
                 std::string("no ") + jackson + " (apt install libjackson2-databind-java)"});
            continue;
        }
        // That version, else the oldest newer one (a newer JVM runs older class files), else
        // the newest: it runs all but classes compiled for the release asked for, as the
        // detail says.
        auto chosen = jdks.begin();
        for (auto it = jdks.begin(); it != jdks.end(); ++it)
            if (it->first >= major)
                chosen = it;
        const auto &[served, version] = *chosen;
        const fs::path java = javaByMajor.at(served);
        m_available.push_back({id, RuntimeKind::Java, java, jar});
        std::string detail = java.string() + " (OpenJDK " + version;
        if (served < major)
            detail += " stands in for Java " + std::to_string(major) + ": code compiled for " +
                      std::to_string(major) + " does not load";
        else if (served > major)
            detail += " in place of Java " + std::to_string(major);
        m_all.push_back({id, true, detail + ")"});
    }
}

std::vector<std::string> interpreterOptions(const RuntimeInfo &runtime, int memoryMb)
{
    switch (runtime.kind) {
    case RuntimeKind::Python:
        // -S: no site module. Debian's site processes every .pth file in dist-packages, which
        // costs more than the whole interpreter start; the bootstrap puts the package dirs on
        // sys.path itself. -u: output unbuffered, as Lambda's runtime makes it.
        return {"-S", "-u"};
    case RuntimeKind::Node:
        // Lambda caps the old generation below the function's memory so that V8 collects
        // before the environment runs out.
        return {"--max-old-space-size=" + std::to_string(std::max(32, memoryMb * 9 / 10))};
    case RuntimeKind::Java: {
        // As Lambda's java17 runtime starts the JVM: the heap 85% of the memory, or the memory
        // less 243 MB where that is more; serial GC, class data sharing, C1 only (start-up first).
        const std::int64_t kb = std::int64_t(memoryMb) * 1024;
        const std::int64_t heapKb = std::max((kb * 85 + 99) / 100, kb - 248832);
        return {"-XX:MaxHeapSize=" + std::to_string(heapKb) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "-jar"};
    }
    case RuntimeKind::Ruby:
    case RuntimeKind::Provided:
        break;
    }
    return {};
}

int jdkFeatureVersion(const std::filesystem::path &java)
{
    std::ifstream release(java.parent_path().parent_path() / "release");
    std::string line;
    while (std::getline(release, line))
        if (line.rfind("JAVA_VERSION=\"", 0) == 0)
            return std::atoi(line.c_str() + 14);
    return 0;
}

int javaFeatureVersion(const std::string &runtimeId)
{
    return runtimeId.rfind("java", 0) == 0 ? std::atoi(runtimeId.c_str() + 4) : 0;
}

std::filesystem::path javaApiJar(const RuntimeInfo &runtime)
{
    return runtime.bootstrap.parent_path() / kJavaApiJar;
}

Result<RuntimeInfo> RuntimeCatalog::resolve(const std::string &runtimeId) const
{
    for (const auto &runtime : m_available)
        if (runtime.id == runtimeId)
            return runtime;
    for (const char *id : kDeprecated)
        if (runtimeId == id)
            return makeError(ErrorCode::InvalidParameter,
                             "The runtime parameter of " + runtimeId
                                 + " is no longer supported for creating or updating AWS Lambda functions. We "
                                   "recommend you use a supported runtime while creating or updating functions.");
    for (const char *id : kOtherFamilies)
        if (runtimeId == id)
            return makeError(ErrorCode::Unsupported,
                             "Runtime " + runtimeId +
                                 " is not supported by Lambdesk (it runs python, nodejs, "
                                 "ruby, java and provided runtimes); available: " +
                                 joinIds(m_available));
    for (const auto &known : m_all)
        if (known.id == runtimeId)
            return makeError(ErrorCode::Unsupported, "Runtime " + runtimeId
                                                         + " is not available on this machine; available: "
                                                         + joinIds(m_available));
    std::string valid;
    for (const auto &known : m_all)
        valid += (valid.empty() ? "" : ", ") + known.id;
    for (const char *id : kDeprecated)
        valid += std::string(", ") + id;
    return makeError(ErrorCode::InvalidParameter, "Value '" + runtimeId
                                                      + "' at 'runtime' failed to satisfy constraint: Member must "
                                                        "satisfy enum value set: ["
                                                      + valid + "]");
}

std::vector<Availability> RuntimeCatalog::all() const
{
    return m_all;
}

std::filesystem::path RuntimeCatalog::locateRuntimeDir()
{
    if (const char *dir = std::getenv("LAMBDESK_RUNTIME_DIR"); dir && *dir)
        return dir;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "lambdesk" / "runtimes";
        if (fs::exists(installed / "python" / "bootstrap.py", ec))
            return fs::weakly_canonical(installed, ec);
    }
    return LAMBDESK_SOURCE_RUNTIME_DIR;
}

} // namespace lambdesk::engine
