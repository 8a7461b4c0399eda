#include "sandbox/microvm/microvmprocess.h"

#include "sandbox/microvm/microvmspawner.h"
#include "sandbox/outboundnetwork.h"
#include "sandbox/processsupervisor.h"
#include "sandbox/processtree.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;

namespace {

std::uint64_t processStartTime(pid_t pid)
{
    return procsandbox::ProcDir::host().startTime(pid);
}

} // namespace

struct MicroVmProcess::Token {};

Result<std::unique_ptr<MicroVmProcess>>
MicroVmProcess::spawn(const std::vector<std::string> &argv, const std::vector<int> &passFds,
                      const fs::path &logFile, const fs::path &runDir, bool outboundNetwork)
{
    auto pid = spawnMicroVmProcess(argv, passFds, logFile, outboundNetwork);
    if (!pid)
        return pid.error();
    auto process = std::make_unique<MicroVmProcess>(Token{});
    process->m_pid = *pid;
    std::error_code ec;
    fs::create_directories(runDir, ec);
    process->m_pidFile = runDir / ("qemu-" + std::to_string(*pid) + ".pid");
    std::ofstream(process->m_pidFile) << *pid << ' ' << processStartTime(*pid) << ' ' << ::getpid()
                                      << ' ' << processStartTime(::getpid()) << '\n';
    if (outboundNetwork) {
        // The guest only sends once it has booted, long after slirp4netns is in place.
        if (!procsandbox::waitForOwnNetworkNamespace(*pid, std::chrono::steady_clock::now() +
                                                               std::chrono::seconds(10)))
            return makeError(ErrorCode::ServiceError,
                             "microvm: QEMU did not get a network namespace of its own");
        auto network = procsandbox::attachOutboundNetwork(*pid);
        if (!network)
            return network.error();
        process->m_network = std::move(*network);
    }
    return process;
}

MicroVmProcess::~MicroVmProcess()
{
    kill();
}

bool MicroVmProcess::isRunning()
{
    std::lock_guard lock(m_mutex);
    reapLocked(false);
    return !m_status;
}

void MicroVmProcess::kill()
{
    std::lock_guard lock(m_mutex);
    if (m_pid <= 0 || m_status)
        return;
    ::kill(m_pid, SIGKILL);
    reapLocked(true);
}

bool MicroVmProcess::waitExit(int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (!isRunning())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        // No pidfd_open wrapper in glibc 2.36; a short poll keeps this simple and it only runs
        // while a VM is shutting down.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::optional<int> MicroVmProcess::exitStatus() const
{
    std::lock_guard lock(m_mutex);
    return m_status;
}

std::uint64_t MicroVmProcess::residentBytes() const
{
    {
        std::lock_guard lock(m_mutex);
        if (m_status)
            return 0;
    }
    return procsandbox::ProcDir::host().residentBytes(m_pid).value_or(0);
}

void MicroVmProcess::reapLocked(bool block)
{
    if (m_pid <= 0 || m_status)
        return;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(m_pid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == m_pid || (r < 0 && errno == ECHILD)) {
        m_status = r == m_pid ? status : 0;
        if (m_network)
            m_network->kill();
        std::error_code ec;
        fs::remove(m_pidFile, ec);
    }
}

int MicroVmProcess::reapLeftovers(const fs::path &runDir)
{
    int reaped = 0;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(runDir, ec)) {
        if (entry.path().extension() != ".pid")
            continue;
        std::ifstream in(entry.path());
        pid_t vm = 0;
        pid_t owner = 0;
        std::uint64_t vmStart = 0;
        std::uint64_t ownerStart = 0;
        if (!(in >> vm >> vmStart >> owner >> ownerStart))
            continue;
        if (owner > 0 && ::kill(owner, 0) == 0 && processStartTime(owner) == ownerStart)
            continue; // its engine is alive (maybe another engine sharing the cache)
        if (vm > 0 && ::kill(vm, 0) == 0 && processStartTime(vm) == vmStart) {
            ::kill(vm, SIGKILL);
            ++reaped;
        }
        fs::remove(entry.path(), ec);
    }
    return reaped;
}

} // namespace lambdesk::engine
