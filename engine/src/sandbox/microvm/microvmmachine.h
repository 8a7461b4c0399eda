#pragma once
// The QEMU command line of a Lambdesk microVM. A snapshot only restores into a machine with the
// same devices, so every VM of one shape (memory, vCPUs, network) gets the same device list; only
// host-side paths (9p exports, sockets, files) differ between the snapshot boot and its restores.

#include "microvmprotocol.h"
#include <cstdint>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace lambdesk::engine {

struct MicroVmShape {
    int memoryMb = 128;
    int vcpus = 1;
    bool network = false;      // user-mode NIC (outbound access only)
    std::string accel = "tcg"; // "kvm" | "tcg"

    // Lambda's allocation: one vCPU per 1769 MB, at most 6.
    static int vcpusFor(int memoryMb);
};

struct MicroVmLaunch {
    std::filesystem::path qemu = "/usr/bin/qemu-system-x86_64";
    std::filesystem::path kernel;
    std::filesystem::path rootfs;
    MicroVmShape shape;
    std::string name;                    // appears in ps as the process name
    std::filesystem::path ramFile;       // guest RAM in this file; empty: anonymous memory
    bool shareRam = false;               // MAP_SHARED (snapshot boot) vs copy-on-write (restore)
    std::filesystem::path incomingState; // restore from this device-state file (needs qmpFd)
    std::filesystem::path consoleLog;    // the guest's serial console (kernel messages)
    // 9p exports by tag: "task" (/var/task), "opt" (/opt), "runtime" (/var/runtime).
    std::vector<std::pair<std::string, std::filesystem::path>> exports;
    // Second disk (/dev/vdb): a function's files for a function snapshot, else a placeholder of
    // the same size (kFunctionImageBytes), so that every VM has the same devices.
    std::filesystem::path functionImage;
    int serialFd = 3; // descriptor numbers in the QEMU process (see MicroVmProcess::spawn)
    int qmpFd = -1;

    // What the snapshot of this machine holds besides the idle agent: "agent" (nothing, any
    // runtime can start) or a runtime zygote ("python3.11", "node") that `prepare` starts.
    std::string flavor = "agent";
    microvm::Fields prepare;
};

inline constexpr std::uint64_t kFunctionImageBytes = 1ull << 30;

// The export tags in device order; every VM has all three.
inline const std::vector<std::string> &microVmExportTags()
{
    static const std::vector<std::string> tags{"task", "opt", "runtime"};
    return tags;
}

std::vector<std::string> qemuArguments(const MicroVmLaunch &launch);

// The host's TSC frequency, measured once (20 ms); 0 where there is no TSC.
std::uint64_t hostTscKhz();

} // namespace lambdesk::engine
