#pragma once
// One thread for the whole engine that starts sandbox processes and watches them: it samples the
// memory of every running sandbox every few milliseconds, kills a sandbox that goes over its
// limit, and reaps exited ones. Shared by the process and gVisor backends. Private to
// engine/src/sandbox.

#include "sandbox/memorycgroup.h"
#include "sandbox/processspawner.h"
#include "sandbox/processtree.h"
#include "sandbox/sandbox.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lambdesk::engine::procsandbox {

enum class TreeView {
    // root = bwrap, its only child = the pid-namespace init, below it the runtime: measured
    // through the namespace's own /proc, the init (pid 1 there) excluded; killing the init
    // ends the whole namespace.
    PidNamespace,
    // root = a launcher whose host descendants make up the sandbox; all are measured and all
    // are killed.
    HostDescendants,
    // root = `runsc run`: killed like HostDescendants, but measured as gVisor's own memory file
    // (every page the sandboxed processes use lives there; host RSS would count it twice).
    Gvisor,
    // root = a helper beside a sandbox (slirp4netns, a network namespace's holder): reaped and
    // killed like HostDescendants, never measured. It has no limit and nobody reads its memory,
    // and finding a host process's descendants means reading all of /proc, every sample.
    Helper,
};

// Everything a launched sandbox consists of on the host. Methods are thread-safe.
class SupervisedTree {
public:
    // With a cgroup the kernel enforces the limit and the watchdog only measures.
    SupervisedTree(pid_t root, TreeView view, std::uint64_t memoryLimitBytes,
                   std::unique_ptr<MemoryCgroup> cgroup = nullptr);
    ~SupervisedTree(); // kill()
    SupervisedTree(const SupervisedTree &) = delete;
    SupervisedTree &operator=(const SupervisedTree &) = delete;

    pid_t rootPid() const { return m_root; }
    bool isRunning();
    std::string exitDescription(); // "" while running
    bool exceededMemoryLimit();
    std::uint64_t memoryBytes();
    std::uint64_t peakMemoryBytes();
    void kill(); // SIGKILL everything, returns when the root is reaped and the tree is gone

    // Supervisor thread: one measurement; returns false once the tree has exited.
    bool sample();

private:
    bool reapLocked(bool block);
    void findNamespaceLocked();
    std::optional<std::uint64_t> measureLocked();
    void killLocked();
    void killNamespaceInitLocked();

    const pid_t m_root;
    const TreeView m_view;
    const std::uint64_t m_limit;
    const std::unique_ptr<MemoryCgroup> m_cgroup; // removed after the tree is gone

    std::mutex m_mutex;
    bool m_exited = false;
    int m_status = 0;
    bool m_killed = false;
    bool m_overLimit = false;
    pid_t m_namespaceInit = 0;               // host pid of the pid-namespace init
    UniqueFd m_namespaceInitFd;              // pidfd of it
    std::optional<ProcDir> m_namespaceProc;  // the sandbox's /proc
    pid_t m_gvisorSandbox = 0;               // runsc-sandbox process
    int m_gvisorMemoryFd = -1;               // its memfd:runsc-memory descriptor
    std::uint64_t m_current = 0;
    std::uint64_t m_peak = 0;
};

class ProcessSupervisor {
public:
    static ProcessSupervisor &instance();

    // spawnProcess() on the supervisor thread (so PR_SET_PDEATHSIG is tied to a thread that lives
    // as long as the engine).
    Result<pid_t> spawn(const SpawnRequest &request);
    void watch(const std::shared_ptr<SupervisedTree> &tree);

    static constexpr std::chrono::milliseconds kSampleInterval{5};

private:
    ProcessSupervisor();
    ~ProcessSupervisor();
    void run(std::function<void()> task); // on the supervisor thread, waits for it
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<std::function<void()>> m_tasks;
    std::vector<std::weak_ptr<SupervisedTree>> m_trees;
    bool m_treesAdded = false;
    bool m_stop = false;
    std::thread m_thread;
};

// A Sandbox made of an output pipe and a supervised tree; onExit runs once after the tree is
// gone (e.g. removing a gVisor container's state).
class TreeSandbox final : public Sandbox {
public:
    TreeSandbox(UniqueFd output, std::shared_ptr<SupervisedTree> tree, std::function<void()> onExit = {});
    ~TreeSandbox() override;

    int outputFd() const override { return m_output.get(); }
    bool isRunning() override { return m_tree->isRunning(); }
    std::string exitDescription() override { return m_tree->exitDescription(); }
    bool exceededMemoryLimit() override { return m_tree->exceededMemoryLimit(); }
    std::uint64_t memoryBytes() override { return m_tree->memoryBytes(); }
    std::uint64_t peakMemoryBytes() override { return m_tree->peakMemoryBytes(); }
    void kill() override;

private:
    UniqueFd m_output;
    std::shared_ptr<SupervisedTree> m_tree;
    std::once_flag m_exitOnce;
    std::function<void()> m_onExit;
};

} // namespace lambdesk::engine::procsandbox
