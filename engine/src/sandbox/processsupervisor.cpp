#include "sandbox/processsupervisor.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <future>

namespace lambdesk::engine::procsandbox {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kKillGrace = std::chrono::seconds(3);

// Waits up to `timeout` for our child `pid` to exit, without reaping it.
void waitForExit(pid_t pid, std::chrono::milliseconds timeout)
{
    const int pidFd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidFd >= 0) {
        pollfd entry{pidFd, POLLIN, 0};
        while (::poll(&entry, 1, static_cast<int>(timeout.count())) < 0 && errno == EINTR) {
        }
        ::close(pidFd);
        return;
    }
    const auto deadline = Clock::now() + timeout;
    siginfo_t info{};
    while (Clock::now() < deadline) {
        info.si_pid = 0;
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != 0)
            return;
        ::usleep(500);
    }
}

} // namespace

SupervisedTree::SupervisedTree(pid_t root, TreeView view, std::uint64_t memoryLimitBytes,
                               std::unique_ptr<MemoryCgroup> cgroup)
    : m_root(root), m_view(view), m_limit(cgroup ? 0 : memoryLimitBytes), m_cgroup(std::move(cgroup))
{
}

SupervisedTree::~SupervisedTree()
{
    kill();
}

bool SupervisedTree::reapLocked(bool block)
{
    if (m_exited)
        return true;
    int status = 0;
    pid_t rc;
    do {
        rc = ::waitpid(m_root, &status, block ? 0 : WNOHANG);
    } while (rc < 0 && errno == EINTR);
    if (rc == m_root) {
        m_exited = true;
        m_status = status;
        m_namespaceProc.reset();
    } else if (rc < 0 && errno == ECHILD) {
        m_exited = true; // someone else reaped it; nothing left to wait for
        m_status = 0;
        m_namespaceProc.reset();
    }
    return m_exited;
}

void SupervisedTree::findNamespaceLocked()
{
    if (m_namespaceInit == 0) {
        const auto children = ProcDir::host().children(m_root);
        if (children.empty())
            return;
        m_namespaceInit = children.front();
        // While bwrap lives, its child's pid cannot be reused; the pidfd keeps naming that very
        // process afterwards.
        m_namespaceInitFd.reset(static_cast<int>(::syscall(SYS_pidfd_open, m_namespaceInit, 0)));
    }
    if (!m_namespaceProc) {
        // Before bwrap has pivoted into the new root this path is the host's /proc: only accept
        // the namespace's own procfs (a different device).
        auto dir = ProcDir::open("/proc/" + std::to_string(m_namespaceInit) + "/root/proc");
        if (dir && dir->device() != ProcDir::host().device())
            m_namespaceProc = std::move(dir);
    }
}

std::optional<std::uint64_t> SupervisedTree::measureLocked()
{
    const ProcDir &host = ProcDir::host();
    std::uint64_t total = 0;
    switch (m_view) {
    case TreeView::PidNamespace:
        findNamespaceLocked();
        if (!m_namespaceProc)
            return std::nullopt;
        for (pid_t pid : m_namespaceProc->pids())
            if (pid != 1)
                total += m_namespaceProc->residentBytes(pid).value_or(0);
        return total;
    case TreeView::Helper:
        return std::nullopt;
    case TreeView::HostDescendants:
        total = host.residentBytes(m_root).value_or(0);
        for (pid_t pid : host.descendants(m_root))
            total += host.residentBytes(pid).value_or(0);
        return total;
    case TreeView::Gvisor:
        if (m_gvisorSandbox == 0)
            for (pid_t pid : host.descendants(m_root))
                if (host.commandLine(pid).rfind("runsc-sandbox ", 0) == 0) {
                    m_gvisorSandbox = pid;
                    break;
                }
        if (m_gvisorSandbox != 0 && m_gvisorMemoryFd < 0)
            m_gvisorMemoryFd = host.findDescriptor(m_gvisorSandbox, "/memfd:runsc-memory (deleted)");
        if (m_gvisorMemoryFd < 0)
            return std::nullopt;
        return host.descriptorAllocatedBytes(m_gvisorSandbox, m_gvisorMemoryFd);
    }
    return std::nullopt;
}

bool SupervisedTree::sample()
{
    std::unique_lock lock(m_mutex, std::try_to_lock);
    if (!lock)
        return true; // a kill() is in progress; it reaps
    if (reapLocked(false))
        return false;
    if (m_killed)
        return true;
    const auto bytes = measureLocked();
    if (!bytes)
        return true;
    m_current = *bytes;
    m_peak = std::max(m_peak, m_current);
    if (m_limit > 0 && m_current > m_limit) {
        m_overLimit = true;
        m_killed = true;
        // Asynchronous here: the supervisor thread must not wait; a later sample reaps.
        if (m_view == TreeView::PidNamespace && m_namespaceInit)
            killNamespaceInitLocked();
        else
            ::kill(m_root, SIGKILL);
        if (m_view != TreeView::PidNamespace)
            for (pid_t pid : ProcDir::host().descendants(m_root))
                ::kill(pid, SIGKILL);
    }
    return true;
}

bool SupervisedTree::isRunning()
{
    std::lock_guard lock(m_mutex);
    return !reapLocked(false);
}

std::string SupervisedTree::exitDescription()
{
    std::lock_guard lock(m_mutex);
    if (!reapLocked(false))
        return {};
    if (m_killed)
        return "signal: killed";
    return describeLauncherExit(m_status);
}

bool SupervisedTree::exceededMemoryLimit()
{
    std::lock_guard lock(m_mutex);
    return m_overLimit || (m_cgroup && m_cgroup->outOfMemory());
}

std::uint64_t SupervisedTree::memoryBytes()
{
    std::lock_guard lock(m_mutex);
    if (reapLocked(false))
        return 0;
    if (auto bytes = measureLocked()) {
        m_current = *bytes;
        m_peak = std::max(m_peak, m_current);
    }
    return m_current;
}

std::uint64_t SupervisedTree::peakMemoryBytes()
{
    std::lock_guard lock(m_mutex);
    if (!reapLocked(false) && m_view == TreeView::PidNamespace) {
        // The kernel's high-water mark catches spikes shorter than the sampling interval.
        findNamespaceLocked();
        if (m_namespaceProc)
            for (pid_t pid : m_namespaceProc->pids())
                if (pid != 1)
                    m_peak = std::max(m_peak, m_namespaceProc->peakResidentBytes(pid).value_or(0));
    }
    if (m_cgroup)
        m_peak = std::max(m_peak, m_cgroup->peakBytes().value_or(0));
    return m_peak;
}

void SupervisedTree::kill()
{
    std::lock_guard lock(m_mutex);
    if (reapLocked(false))
        return;
    killLocked();
}

void SupervisedTree::killNamespaceInitLocked()
{
    if (!m_namespaceInitFd.valid()
        || ::syscall(SYS_pidfd_send_signal, m_namespaceInitFd.get(), SIGKILL, nullptr, 0) != 0)
        ::kill(m_namespaceInit, SIGKILL); // kernels without pidfds
}

void SupervisedTree::killLocked()
{
    m_killed = true;
    std::vector<pid_t> others;
    if (m_view == TreeView::PidNamespace) {
        // Kill the namespace init, not bwrap: the kernel then kills every process of the
        // namespace and the init's exit waits for them; bwrap reaps the init and exits. If the
        // init does not exist yet, wait for it (killing bwrap first could orphan it).
        const auto deadline = Clock::now() + std::chrono::seconds(2);
        while (m_namespaceInit == 0 && !reapLocked(false) && Clock::now() < deadline) {
            findNamespaceLocked();
            if (m_namespaceInit == 0)
                ::usleep(200);
        }
        if (m_namespaceInit != 0)
            killNamespaceInitLocked();
        else
            ::kill(m_root, SIGKILL);
    } else {
        others = ProcDir::host().descendants(m_root);
        ::kill(m_root, SIGKILL);
        for (pid_t pid : others)
            ::kill(pid, SIGKILL);
    }
    if (!m_exited) {
        waitForExit(m_root, std::chrono::duration_cast<std::chrono::milliseconds>(kKillGrace));
        if (!reapLocked(false)) {
            ::kill(m_root, SIGKILL);
            reapLocked(true);
        }
    }
    // Orphaned descendants are reaped by init; wait until they are gone (or zombies).
    const auto deadline = Clock::now() + kKillGrace;
    for (pid_t pid : others)
        while (ProcDir::host().exists(pid) && ProcDir::host().residentBytes(pid).value_or(0) > 0
               && Clock::now() < deadline)
            ::usleep(200);
}

ProcessSupervisor &ProcessSupervisor::instance()
{
    static ProcessSupervisor supervisor;
    return supervisor;
}

ProcessSupervisor::ProcessSupervisor() : m_thread([this] { loop(); }) {}

ProcessSupervisor::~ProcessSupervisor()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void ProcessSupervisor::run(std::function<void()> task)
{
    if (std::this_thread::get_id() == m_thread.get_id()) {
        task();
        return;
    }
    std::packaged_task<void()> packaged(std::move(task));
    auto done = packaged.get_future();
    {
        std::lock_guard lock(m_mutex);
        m_tasks.emplace_back([&packaged] { packaged(); });
    }
    m_wake.notify_all();
    done.get();
}

Result<pid_t> ProcessSupervisor::spawn(const SpawnRequest &request)
{
    Result<pid_t> result = makeError(ErrorCode::ServiceError, "spawn did not run");
    run([&] { result = spawnProcess(request); });
    return result;
}

void ProcessSupervisor::watch(const std::shared_ptr<SupervisedTree> &tree)
{
    {
        std::lock_guard lock(m_mutex);
        m_trees.push_back(tree);
        m_treesAdded = true;
    }
    m_wake.notify_all();
}

void ProcessSupervisor::loop()
{
    auto nextSample = Clock::now();
    std::unique_lock lock(m_mutex);
    for (;;) {
        const auto ready = [this] { return m_stop || !m_tasks.empty() || m_treesAdded; };
        if (m_trees.empty())
            m_wake.wait(lock, ready);
        else
            m_wake.wait_until(lock, nextSample, ready);
        if (m_stop)
            return;
        m_treesAdded = false;
        auto tasks = std::move(m_tasks);
        m_tasks.clear();
        std::vector<std::shared_ptr<SupervisedTree>> trees;
        const bool sampleNow = Clock::now() >= nextSample;
        if (sampleNow) {
            std::erase_if(m_trees, [&trees](const std::weak_ptr<SupervisedTree> &weak) {
                auto tree = weak.lock();
                if (!tree)
                    return true;
                trees.push_back(std::move(tree));
                return false;
            });
        }
        lock.unlock();

        for (auto &task : tasks)
            task();
        std::vector<SupervisedTree *> finished;
        for (auto &tree : trees)
            if (!tree->sample())
                finished.push_back(tree.get());
        trees.clear(); // may destroy a tree (kill + reap) outside the lock

        lock.lock();
        if (!finished.empty())
            std::erase_if(m_trees, [&finished](const std::weak_ptr<SupervisedTree> &weak) {
                auto tree = weak.lock();
                return !tree || std::find(finished.begin(), finished.end(), tree.get()) != finished.end();
            });
        if (sampleNow)
            nextSample = Clock::now() + kSampleInterval;
    }
}

TreeSandbox::TreeSandbox(UniqueFd output, std::shared_ptr<SupervisedTree> tree, std::function<void()> onExit)
    : m_output(std::move(output)), m_tree(std::move(tree)), m_onExit(std::move(onExit))
{
}

TreeSandbox::~TreeSandbox()
{
    kill();
}

void TreeSandbox::kill()
{
    m_tree->kill();
    std::call_once(m_exitOnce, [this] {
        if (m_onExit)
            m_onExit();
    });
}

} // namespace lambdesk::engine::procsandbox
