#pragma once
// Starting child processes safely from the multi-threaded engine, for the process and gVisor
// backends. Private to engine/src/sandbox.

#include "lambdesk/engine/result.h"

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace lambdesk::engine::procsandbox {

// Owns one file descriptor; move-only.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept;
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

struct Pipe {
    UniqueFd read;
    UniqueFd write;
};

// Both ends O_CLOEXEC.
Result<Pipe> makePipe();

struct SpawnRequest {
    std::vector<std::string> argv;        // argv[0] is an absolute path (no PATH search)
    std::vector<std::string> environment; // complete environment, "KEY=value"
    int stdinFd = -1;                     // -1: /dev/null
    int stdoutFd = -1;                    // -1: /dev/null
    int stderrFd = -1;                    // -1: /dev/null
    std::vector<int> inheritFds;          // passed on at the same number (all others are CLOEXEC)
};

// Starts argv[0] in a new process group, with default signal dispositions and an empty signal mask,
// and PR_SET_PDEATHSIG(SIGKILL): the child dies when the calling *thread* ends, so the engine
// never leaves sandboxes behind, even when it is killed. Call it from a thread that outlives
// the child (ProcessSupervisor runs every spawn on its own thread for this reason).
// Works like posix_spawn (clone with CLONE_VM|CLONE_VFORK, async-signal-safe child), which cannot
// set a parent-death signal itself. Returns the pid once the child has exec'd.
Result<pid_t> spawnProcess(const SpawnRequest &request);

// A wait status in the words Lambda uses for Runtime.ExitError: "exit status 1", "signal: killed".
std::string describeWaitStatus(int status);

// Blocks until child `pid` exits (retrying on EINTR) and returns its wait status; -1 on error.
int waitForExit(pid_t pid);

// Same for an exit code from a launcher that reports a signal death as 128 + signal (bwrap, runsc).
std::string describeLauncherExit(int status);

} // namespace lambdesk::engine::procsandbox
