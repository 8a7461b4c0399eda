#pragma once
// Reading process trees and their memory from procfs (never throwing: any process may go away
// between two reads), for the memory watchdog and for killing a
// whole sandbox. Private to engine/src/sandbox.

#include "sandbox/processspawner.h"

#include <dirent.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine::procsandbox {

// One procfs directory: the host's /proc, or a sandbox's own /proc seen from the host through
// /proc/<pid>/root/proc (which lists exactly the processes of that pid namespace).
class ProcDir {
public:
    static std::optional<ProcDir> open(const std::filesystem::path &path);
    static const ProcDir &host();

    int fd() const { return ::dirfd(m_dir.get()); }
    dev_t device() const { return m_device; }
    std::vector<pid_t> pids() const;                              // numeric entries, now
    std::vector<pid_t> children(pid_t pid) const;                 // of every thread of pid
    std::vector<pid_t> descendants(pid_t root) const;             // excluding root
    std::optional<std::uint64_t> residentBytes(pid_t pid) const;  // RSS now (statm)
    std::optional<std::uint64_t> peakResidentBytes(pid_t pid) const; // VmHWM
    bool exists(pid_t pid) const;
    std::string commandLine(pid_t pid) const;                     // argv joined by spaces
    // Field 22 of stat: start time in clock ticks since boot; 0 once pid is gone. A pid plus its
    // start time names a process unambiguously, so a recycled pid is never mistaken for it.
    std::uint64_t startTime(pid_t pid) const;
    // The number of pid's descriptor whose link target is `target`, or -1.
    int findDescriptor(pid_t pid, const std::string &target) const;
    // Bytes allocated to the file behind pid's descriptor fd (st_blocks), e.g. a memfd.
    std::optional<std::uint64_t> descriptorAllocatedBytes(pid_t pid, int fd) const;

private:
    struct DirCloser {
        void operator()(DIR *dir) const { ::closedir(dir); }
    };
    std::unique_ptr<DIR, DirCloser> m_dir;
    dev_t m_device = 0;
};

} // namespace lambdesk::engine::procsandbox
