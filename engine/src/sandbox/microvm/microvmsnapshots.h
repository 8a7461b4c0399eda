#pragma once
// Snapshots of an idle guest (agent Ready, no function attached), one per VM shape, made once and
// restored copy-on-write for every later cold start (the SnapStart idea, measured at ~70 ms under
// TCG versus ~1 s for a boot). Guest RAM lives in a file: the snapshot boot maps it shared, QEMU
// migrates only device state (x-ignore-shared), and restores map the file privately.

#include "lambdesk/engine/result.h"
#include "sandbox/microvm/microvmguest.h"
#include "sandbox/microvm/microvmmachine.h"
#include "sandbox/microvm/microvmqmp.h"

#include <chrono>
#include <filesystem>
#include <string>

namespace lambdesk::engine {

struct MicroVmSnapshot {
    std::filesystem::path ram;   // guest memory image
    std::filesystem::path state; // device state (QEMU migration stream)
    bool created = false;        // made by this call (the caller paid for a boot)
};

class MicroVmSnapshots {
public:
    // dir holds one subdirectory per shape; runDir gets the pidfiles of snapshot boots;
    // emptyDir is exported for the 9p tags while no function is attached.
    MicroVmSnapshots(std::filesystem::path dir, std::filesystem::path runDir,
                     std::filesystem::path emptyDir);

    // Returns the snapshot for base's kernel, root image and shape, booting a VM to make it if
    // there is none. Safe to call from several threads and engines at once (file lock).
    Result<MicroVmSnapshot> ensure(const MicroVmLaunch &base,
                                   std::chrono::steady_clock::time_point deadline);

    // Starts a QEMU for `launch` (name, exports and consoleLog set; QEMU's log goes next to the
    // console log) and feeds it the snapshot. Returns once the restore is under way: the guest
    // runs as soon as it completes and then waits for its Start.
    // writable: the guest maps snapshot.ram shared (it must be a private copy) and keeps its QMP
    // monitor, so that it can be snapshotted in turn (a function snapshot).
    Result<MicroVmGuest> restore(MicroVmLaunch launch, const MicroVmSnapshot &snapshot,
                                 std::chrono::steady_clock::time_point deadline,
                                 bool writable = false) const;

    // restore() in two steps, so that the first (QEMU's start, waiting for its state) can be done
    // ahead of need: prepareRestore() keeps the guest's monitor, beginRestore() feeds it the state
    // and drops the monitor unless keepMonitor.
    Result<MicroVmGuest> prepareRestore(MicroVmLaunch launch, const MicroVmSnapshot &snapshot,
                                        std::chrono::steady_clock::time_point deadline,
                                        bool writable = false) const;
    static Result<void> beginRestore(MicroVmGuest &guest,
                                     std::chrono::steady_clock::time_point deadline,
                                     bool keepMonitor = false);

    // Writes a running guest's device state to `state` (its RAM is the shared file already);
    // the guest is stopped when this returns.
    static Result<void> capture(MicroVmQmp &monitor, const std::filesystem::path &state,
                                std::chrono::steady_clock::time_point deadline);

    // The last `bytes` of a log file (QEMU's, the guest console's), for error messages.
    static std::string fileTail(const std::filesystem::path &file, std::size_t bytes);
    // A short stable hash for snapshot names (FNV-1a, hex).
    static std::string hashKey(const std::string &text);

    // Removes snapshots of kernels or images other than these (after an image rebuild).
    void prune(const std::filesystem::path &kernel, const std::filesystem::path &rootfs);

private:
    std::string keyFor(const MicroVmLaunch &base) const;
    Result<void> create(const MicroVmLaunch &base, const std::filesystem::path &target,
                        std::chrono::steady_clock::time_point deadline);

    std::filesystem::path m_dir;
    std::filesystem::path m_runDir;
    std::filesystem::path m_emptyDir;
};

} // namespace lambdesk::engine
