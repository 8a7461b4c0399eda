#pragma once
// System chores of lambdesk-init (PID 1 of the Lambdesk microVM guest): mounts, loopback, clock,
// entropy, the virtio-serial port and spawning the runtime. Plain Linux calls, no libraries, so the
// agent links statically and starts in a few milliseconds even under TCG.

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lambdesk::guest {

// Writes "lambdesk-init: <message>" to the kernel log (visible on the VM console).
void logLine(const std::string &message);

// /proc, /sys, /dev, /run, /dev/shm, /dev/pts; mount errors are logged, not fatal.
void mountBase();
// Brings up "lo" and, when QEMU attached a NIC (outbound access), eth0 with user-mode addresses.
void setUpNetwork();
// Mounts a tmpfs of sizeMb at /tmp. Returns an error message or "".
std::string mountTmp(int sizeMb);
// Mounts the virtio-9p export `tag` read-only at `path`. Returns an error message or "".
std::string mount9p(const std::string &tag, const std::string &path);
// Mounts the squashfs on block device `device` read-only at `path`. The device's cached blocks are
// dropped first: a restored guest may have read a different image behind the same device.
std::string mountImage(const std::string &device, const std::string &path);
// Binds `source` (a directory of a read-only mount) at `target`.
std::string bindMount(const std::string &source, const std::string &target);
// Sets the wall clock to the host's (the snapshot's clock is stale after a restore).
void setClock(std::int64_t realtimeNs);
// Mixes host randomness into the kernel pool and reseeds, so restored guests diverge.
void addEntropy(const std::string &bytes);
// Opens the virtio-serial port named `name` (by its sysfs name) read/write, non-blocking; -1 if none.
int openPort(const std::string &name);

// Guest memory in use (MemTotal - MemAvailable) in bytes.
std::uint64_t memoryInUse();
// Opens /dev/kmsg positioned after the records already there (-1 on failure).
int openKernelLogAtEnd();
// Reads the records that arrived since and tells whether the OOM killer ran. The kernel logs
// every OOM kill whatever the console level, so this needs no vmstat counters in the kernel.
bool kernelLogShowsOomKill(int fd);

struct SpawnRequest {
    std::vector<std::string> argv;
    std::vector<std::string> env; // "NAME=value"
    std::string cwd = "/";
    uid_t uid = 0;
    gid_t gid = 0;
    int outputFd = -1; // becomes the child's stdout and stderr
    std::vector<int> extraFds; // become descriptors 3, 4, ... in the child
};
// Forks and execs the runtime in its own session. Returns the pid or -1 (errno set).
pid_t spawnRuntime(const SpawnRequest &request);
// "exit status 1", "signal: killed" from a waitpid status (the wording Lambda reports).
std::string describeStatus(int status);

} // namespace lambdesk::guest
