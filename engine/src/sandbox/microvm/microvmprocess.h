#pragma once
// One QEMU process: spawned with a fixed set of inherited descriptors (see microvmspawner.h: it
// dies with the engine), recorded in a pidfile so that a later engine can reap it should it
// survive anyway, and SIGKILLed + reaped by the destructor.

#include "lambdesk/engine/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lambdesk::engine {

namespace procsandbox {
class SupervisedTree;
}

class MicroVmProcess {
public:
    // argv[0] is the QEMU binary. passFds[i] becomes descriptor 3+i in the child (the rest are
    // closed); the caller keeps ownership of its copies. QEMU's stdout/stderr go to logFile.
    // The pidfile is written to runDir and removed when the process is reaped. With
    // outboundNetwork, QEMU runs in a network namespace of its own that slirp4netns serves
    // (see outboundnetwork.h): its user-mode NIC reaches out, and its 10.0.2.2 maps to that
    // namespace's empty loopback instead of the host's.
    static Result<std::unique_ptr<MicroVmProcess>> spawn(const std::vector<std::string> &argv,
                                                         const std::vector<int> &passFds,
                                                         const std::filesystem::path &logFile,
                                                         const std::filesystem::path &runDir,
                                                         bool outboundNetwork = false);

    MicroVmProcess(const MicroVmProcess &) = delete;
    MicroVmProcess &operator=(const MicroVmProcess &) = delete;
    ~MicroVmProcess();

    pid_t pid() const { return m_pid; }
    bool isRunning();
    // SIGKILL and reap; returns when the process is gone. Idempotent.
    void kill();
    // Waits up to timeoutMs for a voluntary exit; true if it exited.
    bool waitExit(int timeoutMs);
    // waitpid status once reaped.
    std::optional<int> exitStatus() const;
    std::uint64_t residentBytes() const; // host RSS of QEMU, 0 once gone

    // Kills QEMU processes recorded in runDir whose owning engine process is gone.
    // Returns how many were reaped.
    static int reapLeftovers(const std::filesystem::path &runDir);

    struct Token; // only spawn() constructs
    explicit MicroVmProcess(const Token &) {}

private:
    void reapLocked(bool block);

    pid_t m_pid = -1;
    std::filesystem::path m_pidFile;
    std::optional<int> m_status;
    std::shared_ptr<procsandbox::SupervisedTree> m_network; // slirp4netns, killed with QEMU
    mutable std::mutex m_mutex;
};

} // namespace lambdesk::engine
