#pragma once
// Function snapshots, Lambda SnapStart's idea on top of the runtime snapshots: a guest restored
// from the runtime snapshot runs one function's init up to its first Runtime API call and is
// snapshotted right there. A later cold start of the same code and configuration restores that
// and resumes the held call, so it pays for a restore instead of an init.
//
// The function's files reach such a guest on its second disk (a squashfs image) instead of 9p:
// QEMU refuses to migrate a guest with a mounted 9p export. Snapshots are made in the background
// after a first cold start, content-addressed by the caller's key, and the least recently used
// ones beyond a few are removed.

#include "lambdesk/engine/result.h"
#include "sandbox/microvm/microvmmachine.h"
#include "sandbox/microvm/microvmsnapshots.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lambdesk::engine {

struct MicroVmFunctionSnapshot {
    MicroVmSnapshot snapshot;
    std::filesystem::path image; // the function's disk, attached again on every restore
};

struct FunctionSnapshotRequest {
    std::string key;
    MicroVmLaunch launch;            // the runtime snapshot's machine
    MicroVmSnapshot runtimeSnapshot; // what the guest that gets snapshotted is restored from
    // Top-level directories of the function's disk and what fills them, merged in order:
    // {"task", {code}}, {"opt", layers}, {"runtime", {bootstrap dir}}.
    std::vector<std::pair<std::string, std::vector<std::filesystem::path>>> contents;
    microvm::Fields start; // the runtime's Start, without mounts
};

class MicroVmFunctionSnapshots {
public:
    // dir: where snapshots live (next to the runtime snapshots, so that prune() there also drops
    // those of an old guest image); keep: how many to keep at most.
    MicroVmFunctionSnapshots(std::filesystem::path dir, const MicroVmSnapshots &runtimeSnapshots,
                             std::filesystem::path emptyDir, std::size_t keep);
    ~MicroVmFunctionSnapshots(); // stops the worker; a snapshot under way is discarded
    MicroVmFunctionSnapshots(const MicroVmFunctionSnapshots &) = delete;
    MicroVmFunctionSnapshots &operator=(const MicroVmFunctionSnapshots &) = delete;

    std::optional<MicroVmFunctionSnapshot> find(const std::string &key);
    // Queues the snapshot's creation unless it exists, is queued, or failed before.
    void request(FunctionSnapshotRequest request);
    // Drops a snapshot that did not restore, and never makes it again in this engine.
    void forget(const std::string &key);

    // The Start fields that put a function's disk in place (mount + binds).
    static void addDiskMounts(microvm::Fields &fields);

private:
    void work();
    Result<void> create(const FunctionSnapshotRequest &request,
                        std::chrono::steady_clock::time_point deadline);
    void removeLeastRecentlyUsed();
    std::filesystem::path dirFor(const std::string &key) const;

    std::filesystem::path m_dir;
    const MicroVmSnapshots &m_runtimeSnapshots;
    std::filesystem::path m_emptyDir;
    std::size_t m_keep;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<FunctionSnapshotRequest> m_queue;
    std::set<std::string> m_pending; // queued or being made
    std::set<std::string> m_failed;
    bool m_stopping = false;
    std::thread m_worker;
};

} // namespace lambdesk::engine
