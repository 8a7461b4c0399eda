#include "sandbox/microvm/microvmspawner.h"

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <mutex>
#include <sched.h>
#include <string>
#include <sys/prctl.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace lambdesk::engine {

namespace {

// The forking thread. Requests are run one at a time; a fork takes well under a millisecond.
class Spawner {
public:
    Spawner() : m_thread([this] { loop(); }) {}
    ~Spawner()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }

    pid_t run(const std::function<pid_t()> &job)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_job; });
        m_job = &job;
        m_done = false;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_done; });
        m_job = nullptr;
        m_changed.notify_all();
        return m_result;
    }

private:
    void loop()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_changed.wait(lock, [this] { return m_stopping || (m_job && !m_done); });
            if (m_stopping)
                return;
            m_result = (*m_job)();
            m_done = true;
            m_changed.notify_all();
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_changed;
    const std::function<pid_t()> *m_job = nullptr;
    bool m_done = false;
    pid_t m_result = -1;
    bool m_stopping = false;
    std::thread m_thread; // last: started once the members above exist
};

Spawner &spawner()
{
    static Spawner instance;
    return instance;
}

// Async-signal-safe (runs between fork and exec): only open/write/close, no allocation.
bool writeProcFile(const char *path, const char *text, std::size_t size)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool written = ::write(fd, text, size) == static_cast<ssize_t>(size);
    ::close(fd);
    return written;
}

} // namespace

Result<pid_t> spawnMicroVmProcess(const std::vector<std::string> &argv,
                                  const std::vector<int> &passFds,
                                  const std::filesystem::path &logFile, bool ownNetworkNamespace)
{
    // Everything the child needs is prepared here: after fork() only async-signal-safe calls.
    std::vector<char *> args;
    for (const auto &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    // Above the target range, so that no dup2 in the child is a no-op that keeps FD_CLOEXEC.
    std::vector<int> high;
    for (int fd : passFds)
        high.push_back(::fcntl(fd, F_DUPFD_CLOEXEC, 100));
    const pid_t parent = ::getpid();
    int forkError = 0;
    const bool asRoot = ::geteuid() == 0;
    const std::string uidMap =
        std::to_string(::geteuid()) + " " + std::to_string(::geteuid()) + " 1";
    const std::string gidMap =
        std::to_string(::getegid()) + " " + std::to_string(::getegid()) + " 1";
    static constexpr char kNoNamespace[] = "lambdesk: cannot create the VM's network namespace\n";

    const std::function<pid_t()> job = [&]() -> pid_t {
        const pid_t pid = ::fork();
        if (pid < 0)
            forkError = errno;
        if (pid != 0)
            return pid;
        ::setpgid(0, 0); // Ctrl-C meant for the engine's terminal is the engine's to handle
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127); // the engine died between fork and prctl
        ::dup2(devNull, 0);
        ::dup2(log, 1);
        ::dup2(log, 2);
        if (ownNetworkNamespace) {
            const bool unshared =
                asRoot ? ::unshare(CLONE_NEWNET) == 0
                       : ::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0 &&
                             writeProcFile("/proc/self/setgroups", "deny", 4) &&
                             writeProcFile("/proc/self/uid_map", uidMap.data(), uidMap.size()) &&
                             writeProcFile("/proc/self/gid_map", gidMap.data(), gidMap.size());
            if (!unshared) {
                [[maybe_unused]] auto ignored = ::write(2, kNoNamespace, sizeof kNoNamespace - 1);
                ::_exit(126);
            }
        }
        for (std::size_t i = 0; i < high.size(); ++i)
            ::dup2(high[i], 3 + static_cast<int>(i));
        // Descriptors other parts of the engine opened without O_CLOEXEC stay out of the VM.
        ::close_range(3 + static_cast<unsigned>(high.size()), ~0u, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        ::signal(SIGCHLD, SIG_DFL);
        ::execve(args[0], args.data(), environ);
        ::_exit(127);
    };
    const pid_t pid = spawner().run(job);
    for (int fd : high)
        ::close(fd);
    ::close(log);
    ::close(devNull);
    if (pid < 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot start " + argv[0] + ": " + std::strerror(forkError));
    return pid;
}

} // namespace lambdesk::engine
