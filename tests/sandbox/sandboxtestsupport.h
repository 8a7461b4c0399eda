#pragma once
// Shared pieces of the sandbox backend tests: a temporary code directory, a spec for a runtime
// found by the catalog, and reading a sandbox's output.

#include "runtimeapistub.h"
#include "sandbox/processtree.h"
#include "sandbox/runtimecatalog.h"
#include "sandbox/sandbox.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace lambdesk::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class TempDir {
public:
    TempDir()
    {
        // Death tests kill processes that own one: sweep those of dead test processes first.
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
            const std::string name = entry.path().filename().string();
            const long pid = name.rfind(kPrefix, 0) == 0 ? std::strtol(name.c_str() + kPrefix.size(), nullptr, 10) : 0;
            if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
                fs::remove_all(entry.path(), ec);
        }
        std::string pattern =
            (fs::temp_directory_path() / (kPrefix + std::to_string(::getpid()) + "-XXXXXX")).string();
        if (::mkdtemp(pattern.data()))
            m_path = pattern;
        // Like the function store's code dirs: readable by the sandbox user (gVisor keeps host
        // ownership, so a 0700 root-owned dir would be closed to it).
        fs::permissions(m_path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec
                                    | fs::perms::others_read | fs::perms::others_exec);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const fs::path &path() const { return m_path; }

    void write(const std::string &relative, const std::string &content, bool executable = false) const
    {
        const fs::path file = m_path / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
        if (executable)
            fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec
                                      | fs::perms::others_read | fs::perms::others_exec);
    }

private:
    inline static const std::string kPrefix = "lambdesk-sandbox-test-";
    fs::path m_path;
};

inline const engine::RuntimeCatalog &catalog()
{
    static const engine::RuntimeCatalog instance(engine::RuntimeCatalog::locateRuntimeDir());
    return instance;
}

// The first available runtime whose id starts with prefix ("python", "nodejs", "provided.al2023").
inline std::optional<engine::RuntimeInfo> findRuntime(const std::string &prefix)
{
    for (const auto &runtime : catalog().all())
        if (runtime.available && runtime.id.rfind(prefix, 0) == 0)
            if (auto info = catalog().resolve(runtime.id))
                return *info;
    return std::nullopt;
}

// The runtime reaches `api` at its host address, or, in a backend with a network of its own,
// on the socket the sandbox hands over.
inline engine::EnvironmentSpec makeSpec(const engine::RuntimeInfo &runtime, const fs::path &codeDir,
                                        RuntimeApiStub &api, const std::string &handler)
{
    const std::string apiAddress = api.address();
    static int counter = 0;
    engine::EnvironmentSpec spec;
    spec.id = "test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    spec.runtime = runtime;
    spec.codeDir = codeDir;
    spec.memoryMb = 256;
    spec.ephemeralStorageMb = 512;
    spec.runtimeApiPort = api.port();
    spec.serveRuntimeApi = [&api](int listeningFd) -> engine::Result<void> {
        api.serveOn(listeningFd);
        return {};
    };
    spec.environment = {
        {"AWS_LAMBDA_RUNTIME_API", apiAddress},
        {"_HANDLER", handler},
        {"LAMBDA_TASK_ROOT", "/var/task"},
        {"LAMBDA_RUNTIME_DIR", "/var/runtime"},
        {"AWS_LAMBDA_FUNCTION_NAME", "test"},
        {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
        {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"},
        {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/test"},
        {"AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/25/[$LATEST]0123456789abcdef"},
        {"AWS_REGION", "us-east-1"},
        {"TZ", ":UTC"},
        {"LANG", "en_US.UTF-8"},
        {"PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin"},
    };
    return spec;
}

// Everything readable on the sandbox's output now.
inline std::string drainOutput(engine::Sandbox &sandbox)
{
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(sandbox.outputFd(), buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<std::size_t>(n));
    return text;
}

inline bool waitForExit(engine::Sandbox &sandbox, std::chrono::milliseconds timeout = 10s)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (sandbox.isRunning()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

// Host processes whose command line contains marker.
inline int countProcessesWith(const std::string &marker)
{
    int count = 0;
    for (const auto &entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] < '0' || name[0] > '9' || std::to_string(::getpid()) == name)
            continue;
        // ProcDir reads without throwing: a process may exit between the listing and the read.
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        if (engine::procsandbox::ProcDir::host().commandLine(pid).find(marker) != std::string::npos)
            ++count;
    }
    return count;
}

} // namespace lambdesk::test
