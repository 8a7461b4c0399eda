#include "sandbox/microvm/microvmguest.h"

#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;

void MicroVmGuest::swap(MicroVmGuest &other) noexcept
{
    std::swap(process, other.process);
    std::swap(serialFd, other.serialFd);
    std::swap(qemuLog, other.qemuLog);
    std::swap(slotDir, other.slotDir);
    std::swap(monitor, other.monitor);
    std::swap(readySince, other.readySince);
}

MicroVmGuest::~MicroVmGuest()
{
    if (process)
        process->kill();
    if (serialFd >= 0)
        ::close(serialFd);
    if (!slotDir.empty()) {
        std::error_code ec;
        fs::remove_all(slotDir, ec);
    }
}

} // namespace lambdesk::engine
