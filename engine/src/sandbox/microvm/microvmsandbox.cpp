#include "sandbox/microvm/microvmsandbox.h"

#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace lambdesk::engine {

namespace {

std::string lastLine(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::string line;
    std::string last;
    while (std::getline(in, line))
        if (!line.empty())
            last = line;
    return last;
}

} // namespace

MicroVmSandbox::MicroVmSandbox(MicroVmGuest guest, std::unique_ptr<MicroVmChannel> channel,
                               int outputReadFd)
    : m_guest(std::move(guest)), m_channel(std::move(channel)), m_outputRead(outputReadFd)
{
    // An environment ends with its runtime: once the agent reports the exit (or the VM's end of
    // the channel closes), the VM has nothing left to do.
    MicroVmProcess *vm = m_guest.process.get();
    m_channel->onFinished([vm] { vm->kill(); });
    m_channel->start();
}

MicroVmSandbox::~MicroVmSandbox()
{
    m_guest.process->kill();
    m_channel.reset();
    ::close(m_outputRead);
    std::error_code ignored;
    if (!m_removeOnExit.empty())
        std::filesystem::remove_all(m_removeOnExit, ignored);
    // m_guest then removes the slot directory, if it had one.
}

bool MicroVmSandbox::isRunning()
{
    return !m_channel->isFinished() && m_guest.process->isRunning();
}

std::string MicroVmSandbox::exitDescription()
{
    if (m_killed.load())
        return "signal: killed";
    if (m_channel->isFinished()) {
        std::string reason = m_channel->finishReason();
        // A VM that vanished without the agent's word: QEMU's last complaint says why.
        if (reason == MicroVmChannel::kVmStopped) {
            const std::string last = lastLine(m_guest.qemuLog);
            if (!last.empty())
                reason += ": " + last;
        }
        return reason;
    }
    if (auto status = m_guest.process->exitStatus()) {
        if (WIFSIGNALED(*status))
            return "the microVM was killed (signal " + std::to_string(WTERMSIG(*status)) + ")";
        return "the microVM exited with status " + std::to_string(WEXITSTATUS(*status));
    }
    return {};
}

bool MicroVmSandbox::exceededMemoryLimit()
{
    return m_channel->killedForMemory();
}

std::uint64_t MicroVmSandbox::memoryBytes()
{
    // The guest's own view (what the function can use of its memory size), as Lambda reports it.
    return m_channel->guestMemoryUsed();
}

std::uint64_t MicroVmSandbox::peakMemoryBytes()
{
    return m_channel->guestMemoryPeak();
}

void MicroVmSandbox::kill()
{
    if (!m_channel->isFinished())
        m_killed = true;
    m_guest.process->kill();
}

} // namespace lambdesk::engine
