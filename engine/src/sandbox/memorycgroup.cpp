#include "sandbox/memorycgroup.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace lambdesk::engine::procsandbox {
namespace fs = std::filesystem;
namespace {

constexpr long kCgroup2Magic = 0x63677270;
const fs::path kCgroupRoot = "/sys/fs/cgroup";

std::string readText(const fs::path &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool writeText(const fs::path &path, const std::string &text)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

bool hasWord(const std::string &text, const std::string &word)
{
    std::stringstream words(text);
    std::string w;
    while (words >> w)
        if (w == word)
            return true;
    return false;
}

// "<key> <number>" from a flat-keyed cgroup file (memory.events, memory.oom_control).
std::uint64_t keyedValue(const std::string &text, const std::string &key)
{
    std::stringstream lines(text);
    std::string name;
    std::uint64_t value = 0;
    while (lines >> name >> value)
        if (name == key)
            return value;
    return 0;
}

std::optional<std::uint64_t> readNumber(const fs::path &path)
{
    const std::string text = readText(path);
    if (text.empty() || text[0] < '0' || text[0] > '9')
        return std::nullopt;
    return std::strtoull(text.c_str(), nullptr, 10);
}

bool removeDirectory(const fs::path &dir, std::chrono::milliseconds patience)
{
    // A cgroup stays busy until its last process has been reaped (bwrap's namespace init is
    // reaped by the system's init a moment after the sandbox ends).
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (::rmdir(dir.c_str()) != 0) {
        if (errno == ENOENT)
            return true;
        if (errno != EBUSY || std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

// Parents left by engines that were killed: "lambdesk-<pid>" of a dead pid.
void removeStaleParents(const fs::path &base)
{
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(base, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("lambdesk-", 0) != 0 || !entry.is_directory(ec))
            continue;
        const long pid = std::strtol(name.c_str() + 9, nullptr, 10);
        if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
            for (const auto &child : fs::directory_iterator(entry.path(), ec))
                if (child.is_directory(ec))
                    ::rmdir(child.path().c_str());
            ::rmdir(entry.path().c_str());
        }
    }
}

// This process's cgroup path: the v2 line ("0::/path"), or the v1 line whose controller list
// holds "memory" ("4:memory:/path").
std::optional<std::string> ownCgroup(bool v2)
{
    std::stringstream lines(readText("/proc/self/cgroup"));
    std::string line;
    while (std::getline(lines, line)) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::replace(controllers.begin(), controllers.end(), ',', ' ');
        const bool matches = v2 ? line.rfind("0::", 0) == 0 : hasWord(controllers, "memory");
        if (matches)
            return line.substr(second + 1);
    }
    return std::nullopt;
}

struct Setup {
    std::unique_ptr<MemoryCgroups> cgroups;
    std::string reason;
};

Setup makeParent(const fs::path &base, MemoryCgroup::Version version)
{
    removeStaleParents(base);
    const fs::path parent = base / ("lambdesk-" + std::to_string(::getpid()));
    if (::mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST)
        return {nullptr, "cannot create " + parent.string() + ": " + std::strerror(errno)};
    if (version == MemoryCgroup::Version::V2 && !writeText(parent / "cgroup.subtree_control", "+memory")) {
        const std::string why = std::strerror(errno);
        ::rmdir(parent.c_str());
        return {nullptr, "cannot enable the memory controller in " + parent.string() + ": " + why};
    }
    return {std::make_unique<MemoryCgroups>(parent, version), {}};
}

Setup setupV2()
{
    struct statfs info {};
    if (::statfs(kCgroupRoot.c_str(), &info) != 0 || info.f_type != kCgroup2Magic)
        return {nullptr, "/sys/fs/cgroup is not a cgroup v2 hierarchy"};
    const auto own = ownCgroup(true);
    if (!own)
        return {nullptr, "this process has no cgroup v2 path"};
    // The nearest ancestor that hands the memory controller to its children and lets us create
    // cgroups and move processes below it (a systemd user session delegates one).
    for (fs::path dir = kCgroupRoot / fs::path(*own).relative_path();; dir = dir.parent_path()) {
        if (hasWord(readText(dir / "cgroup.subtree_control"), "memory") && ::access(dir.c_str(), W_OK) == 0
            && ::access((dir / "cgroup.procs").c_str(), W_OK) == 0)
            return makeParent(dir, MemoryCgroup::Version::V2);
        if (dir == kCgroupRoot || dir.string().size() <= kCgroupRoot.string().size())
            break;
    }
    return {nullptr, "no writable cgroup v2 with the memory controller above " + *own};
}

Setup setupV1()
{
    const auto own = ownCgroup(false);
    const fs::path base = kCgroupRoot / "memory" / fs::path(own.value_or("/")).relative_path();
    if (!own || ::access(base.c_str(), W_OK) != 0)
        return {nullptr, "no writable cgroup v1 memory controller at " + base.string()};
    return makeParent(base, MemoryCgroup::Version::V1);
}

Setup &setup()
{
    static Setup instance = [] {
        const char *choice = std::getenv("LAMBDESK_MEMORY_LIMIT");
        const std::string mode = choice ? choice : "auto";
        if (mode == "watchdog")
            return Setup{nullptr, "LAMBDESK_MEMORY_LIMIT=watchdog"};
        if (mode == "cgroup1")
            return setupV1();
        return setupV2();
    }();
    return instance;
}

} // namespace

MemoryCgroup::~MemoryCgroup()
{
    removeDirectory(m_dir, std::chrono::milliseconds(500));
}

Result<void> MemoryCgroup::add(pid_t pid)
{
    if (!writeText(m_dir / "cgroup.procs", std::to_string(pid)))
        return makeError(ErrorCode::ServiceError,
                         "cannot move process " + std::to_string(pid) + " into " + m_dir.string() + ": " + std::strerror(errno));
    return {};
}

std::optional<std::uint64_t> MemoryCgroup::usageBytes() const
{
    return readNumber(m_dir / (m_version == Version::V2 ? "memory.current" : "memory.usage_in_bytes"));
}

std::optional<std::uint64_t> MemoryCgroup::peakBytes() const
{
    return readNumber(m_dir / (m_version == Version::V2 ? "memory.peak" : "memory.max_usage_in_bytes"));
}

bool MemoryCgroup::outOfMemory() const
{
    if (m_version == Version::V2) {
        const std::string events = readText(m_dir / "memory.events");
        return keyedValue(events, "oom_kill") > 0 || keyedValue(events, "oom_group_kill") > 0;
    }
    return keyedValue(readText(m_dir / "memory.oom_control"), "oom_kill") > 0;
}

MemoryCgroups *MemoryCgroups::instance()
{
    return setup().cgroups.get();
}

std::string MemoryCgroups::unavailableReason()
{
    return setup().reason;
}

MemoryCgroups::~MemoryCgroups()
{
    std::error_code ec;
    for (const auto &child : fs::directory_iterator(m_parent, ec))
        if (child.is_directory(ec))
            ::rmdir(child.path().c_str());
    ::rmdir(m_parent.c_str());
}

Result<std::unique_ptr<MemoryCgroup>> MemoryCgroups::create(const std::string &name, std::uint64_t limitBytes)
{
    const fs::path dir = m_parent / name;
    if (::mkdir(dir.c_str(), 0755) != 0)
        return makeError(ErrorCode::ServiceError, "cannot create cgroup " + dir.string() + ": " + std::strerror(errno));
    auto group = std::make_unique<MemoryCgroup>(dir, m_version);
    const std::string limit = std::to_string(limitBytes);
    const bool limited = m_version == MemoryCgroup::Version::V2 ? writeText(dir / "memory.max", limit)
                                                                : writeText(dir / "memory.limit_in_bytes", limit);
    if (!limited)
        return makeError(ErrorCode::ServiceError, "cannot set the memory limit of " + dir.string() + ": " + std::strerror(errno));
    // Best effort: no swapping around the limit, and an OOM kill takes the whole environment.
    if (m_version == MemoryCgroup::Version::V2) {
        writeText(dir / "memory.swap.max", "0");
        writeText(dir / "memory.oom.group", "1");
    } else {
        writeText(dir / "memory.memsw.limit_in_bytes", limit);
    }
    return group;
}

} // namespace lambdesk::engine::procsandbox
