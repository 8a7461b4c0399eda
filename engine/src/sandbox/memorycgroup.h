#pragma once
// A hard memory limit from the kernel for each execution environment, where the engine may create
// memory cgroups: cgroup v2 (a delegated subtree, as systemd gives every user session), or v1's
// memory controller when LAMBDESK_MEMORY_LIMIT=cgroup1 asks for it (hosts without v2, like this
// project's CI). Everywhere else the supervisor's sampling watchdog is the limit; any failure
// here falls back to it. Private to engine/src/sandbox.

#include "lambdesk/engine/result.h"

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace lambdesk::engine::procsandbox {

// One environment's cgroup; removed when destroyed (once its processes are gone).
class MemoryCgroup {
public:
    enum class Version { V1, V2 };
    MemoryCgroup(std::filesystem::path dir, Version version) : m_dir(std::move(dir)), m_version(version) {}
    ~MemoryCgroup();
    MemoryCgroup(const MemoryCgroup &) = delete;
    MemoryCgroup &operator=(const MemoryCgroup &) = delete;

    Result<void> add(pid_t pid);
    std::optional<std::uint64_t> usageBytes() const;
    std::optional<std::uint64_t> peakBytes() const; // where the kernel records it
    bool outOfMemory() const;                        // the kernel OOM-killed a process in it
    const std::filesystem::path &dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
    Version m_version;
};

class MemoryCgroups {
public:
    // The engine's cgroup parent, or nullptr when memory cgroups cannot be used here.
    static MemoryCgroups *instance();
    static std::string unavailableReason(); // why instance() is null

    // A new cgroup limited to limitBytes (no swap); `name` must be unique in this engine.
    Result<std::unique_ptr<MemoryCgroup>> create(const std::string &name, std::uint64_t limitBytes);
    MemoryCgroup::Version version() const { return m_version; }

    MemoryCgroups(std::filesystem::path parent, MemoryCgroup::Version version)
        : m_parent(std::move(parent)), m_version(version) {}
    ~MemoryCgroups();

private:
    std::filesystem::path m_parent; // <delegated cgroup>/lambdesk-<engine pid>
    MemoryCgroup::Version m_version;
};

} // namespace lambdesk::engine::procsandbox
