#pragma once

#include "sandbox/microvm/microvmprocess.h"
#include "sandbox/microvm/microvmqmp.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <utility>

namespace lambdesk::engine {

// A guest restored from a snapshot and not started yet (microvmsnapshots.h, microvmpool.h): its
// QEMU, our end of its channel and, for a pooled guest, the slot directory its task/ and opt/
// exports point into. Move-only owner of all three.
struct MicroVmGuest {
    std::unique_ptr<MicroVmProcess> process;
    int serialFd = -1;                   // owned until releaseSerial()
    std::filesystem::path qemuLog;       // QEMU's own messages
    std::filesystem::path slotDir;       // owned: removed with the guest; empty when not pooled
    std::unique_ptr<MicroVmQmp> monitor; // kept only when asked for (to snapshot this guest)
    std::chrono::steady_clock::time_point readySince;

    MicroVmGuest() = default;
    MicroVmGuest(MicroVmGuest &&other) noexcept { swap(other); }
    MicroVmGuest &operator=(MicroVmGuest &&other) noexcept
    {
        MicroVmGuest old(std::move(*this));
        swap(other);
        return *this;
    }
    MicroVmGuest(const MicroVmGuest &) = delete;
    MicroVmGuest &operator=(const MicroVmGuest &) = delete;
    ~MicroVmGuest(); // kills the guest, closes the channel, removes the slot
    int releaseSerial() { return std::exchange(serialFd, -1); }
    void swap(MicroVmGuest &other) noexcept;
};

} // namespace lambdesk::engine
