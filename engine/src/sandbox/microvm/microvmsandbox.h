#pragma once
// One execution environment in a microVM: the QEMU process restored from a snapshot (or booted),
// the channel to its agent, and the output pipe the engine reads.

#include "sandbox/microvm/microvmchannel.h"
#include "sandbox/microvm/microvmguest.h"
#include "sandbox/microvm/microvmprocess.h"
#include "sandbox/sandbox.h"

#include <atomic>
#include <filesystem>
#include <memory>

namespace lambdesk::engine {

class MicroVmSandbox final : public Sandbox {
public:
    // Takes ownership of all three; outputReadFd is the O_NONBLOCK read end of the output pipe
    // whose write end the channel holds. The guest's serial descriptor was handed to the channel.
    MicroVmSandbox(MicroVmGuest guest, std::unique_ptr<MicroVmChannel> channel, int outputReadFd);
    ~MicroVmSandbox() override;

    int outputFd() const override { return m_outputRead; }
    bool isRunning() override;
    std::string exitDescription() override;
    bool exceededMemoryLimit() override;
    std::uint64_t memoryBytes() override;
    std::uint64_t peakMemoryBytes() override;
    void kill() override;

    bool restoredAfterInit() const override { return m_restoredAfterInit; }
    void setRestoredAfterInit() { m_restoredAfterInit = true; }
    bool emulated() const override { return m_emulated; }
    void setEmulated(bool emulated) { m_emulated = emulated; }
    // A directory of this environment's (its Runtime API socket), removed with the sandbox.
    void removeOnExit(std::filesystem::path dir) { m_removeOnExit = std::move(dir); }

    MicroVmProcess &process() { return *m_guest.process; }
    MicroVmChannel &channel() { return *m_channel; }

private:
    // Declared before the channel: the channel's relay thread may kill the process while it runs.
    MicroVmGuest m_guest;
    std::unique_ptr<MicroVmChannel> m_channel;
    int m_outputRead;
    std::atomic<bool> m_killed{false};
    bool m_restoredAfterInit = false;
    bool m_emulated = false;
    std::filesystem::path m_removeOnExit;
};

} // namespace lambdesk::engine
