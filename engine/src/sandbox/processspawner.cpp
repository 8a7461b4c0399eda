#include "sandbox/processspawner.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

namespace lambdesk::engine::procsandbox {

UniqueFd &UniqueFd::operator=(UniqueFd &&other) noexcept
{
    if (this != &other)
        reset(other.release());
    return *this;
}

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd); // never retried: on Linux the fd is released even when close fails
    m_fd = fd;
}

Result<Pipe> makePipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return makeError(ErrorCode::ServiceError, std::string("cannot create a pipe: ") + std::strerror(errno));
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

namespace {

constexpr std::size_t kChildStackSize = 64 * 1024;

// Everything the child needs, prepared by the parent: the child may only make
// async-signal-safe calls because it shares the parent's memory until it execs.
struct ChildPlan {
    const char *path = nullptr;
    char *const *argv = nullptr;
    char *const *envp = nullptr;
    std::array<int, 3> stdio{};
    const int *inherit = nullptr;
    std::size_t inheritCount = 0;
    pid_t parentPid = 0;
    volatile int failedErrno = 0; // written by the child before _exit(127)
};

void closeRange(unsigned int first, unsigned int last)
{
    if (::syscall(SYS_close_range, first, last, 0) == 0)
        return;
    const auto limit = std::min<unsigned long>(last, static_cast<unsigned long>(::sysconf(_SC_OPEN_MAX)));
    for (unsigned long fd = first; fd <= limit; ++fd) // kernels before 5.9
        ::close(static_cast<int>(fd));
}

int childMain(void *argument)
{
    auto *plan = static_cast<ChildPlan *>(argument);
    // Handlers of the engine must not run in the child, and ignored signals (SIGPIPE) would be
    // inherited across exec: start the runtime with the defaults.
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) {
        struct sigaction current {};
        if (sig != SIGKILL && sig != SIGSTOP && ::sigaction(sig, nullptr, &current) == 0
            && current.sa_handler != SIG_DFL)
            ::sigaction(sig, &defaults, nullptr);
    }
    // Its own process group keeps terminal signals (Ctrl-C on the engine) away from the sandbox.
    // Not a new session: with autogroup scheduling (the default) every session gets a task
    // group of its own, which makes a cold start several milliseconds slower.
    if (::setpgid(0, 0) != 0 || ::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        plan->failedErrno = errno;
        ::_exit(127);
    }
    if (::getppid() != plan->parentPid) // the engine died between clone and prctl
        ::_exit(127);
    for (int target = 0; target < 3; ++target) {
        const int source = plan->stdio[target];
        const int rc = source == target ? ::fcntl(target, F_SETFD, 0) : ::dup2(source, target);
        if (rc < 0) {
            plan->failedErrno = errno;
            ::_exit(127);
        }
    }
    // Descriptors the engine itself inherited without O_CLOEXEC must not reach the sandbox
    // either: close everything from 3 up except what is passed on (sorted by the parent).
    unsigned int from = 3;
    for (std::size_t i = 0; i < plan->inheritCount; ++i) {
        const auto keep = static_cast<unsigned int>(plan->inherit[i]);
        if (keep > from)
            closeRange(from, keep - 1);
        ::fcntl(plan->inherit[i], F_SETFD, 0);
        from = std::max(from, keep + 1);
    }
    closeRange(from, ~0U);
    sigset_t empty;
    ::sigemptyset(&empty);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    ::execve(plan->path, plan->argv, plan->envp);
    plan->failedErrno = errno;
    ::_exit(127);
}

struct StackDeleter {
    void operator()(void *stack) const { ::munmap(stack, kChildStackSize); }
};

std::vector<char *> cStrings(const std::vector<std::string> &strings)
{
    std::vector<char *> result;
    result.reserve(strings.size() + 1);
    for (const auto &s : strings)
        result.push_back(const_cast<char *>(s.c_str())); // execve's signature; never written
    result.push_back(nullptr);
    return result;
}

} // namespace

Result<pid_t> spawnProcess(const SpawnRequest &request)
{
    if (request.argv.empty() || request.argv.front().empty() || request.argv.front()[0] != '/')
        return makeError(ErrorCode::ServiceError, "spawn needs an absolute program path");

    UniqueFd devNull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!devNull.valid())
        return makeError(ErrorCode::ServiceError, std::string("cannot open /dev/null: ") + std::strerror(errno));

    // A source below 3 that is not its own target would be overwritten by an earlier dup2.
    std::array<UniqueFd, 3> moved;
    const std::array<int, 3> wanted{request.stdinFd, request.stdoutFd, request.stderrFd};
    ChildPlan plan;
    for (int target = 0; target < 3; ++target) {
        int source = wanted[target] < 0 ? devNull.get() : wanted[target];
        if (source < 3 && source != target) {
            moved[target].reset(::fcntl(source, F_DUPFD_CLOEXEC, 3));
            if (!moved[target].valid())
                return makeError(ErrorCode::ServiceError, std::string("dup failed: ") + std::strerror(errno));
            source = moved[target].get();
        }
        plan.stdio[target] = source;
    }

    std::vector<char *> argv = cStrings(request.argv);
    std::vector<char *> envp = cStrings(request.environment);
    plan.path = argv.front();
    plan.argv = argv.data();
    plan.envp = envp.data();
    std::vector<int> inherit = request.inheritFds;
    std::sort(inherit.begin(), inherit.end());
    plan.inherit = inherit.data();
    plan.inheritCount = inherit.size();
    plan.parentPid = ::getpid();

    void *stack = ::mmap(nullptr, kChildStackSize, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return makeError(ErrorCode::ServiceError, std::string("cannot map a stack: ") + std::strerror(errno));
    std::unique_ptr<void, StackDeleter> stackOwner(stack);

    // Block every signal across clone so that no engine handler runs on the child's stack
    // before the child has reset the dispositions (what glibc's posix_spawn does too).
    sigset_t all, previous;
    ::sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = ::clone(childMain, static_cast<char *>(stack) + kChildStackSize,
                              CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
    const int cloneErrno = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);

    if (pid < 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot start " + request.argv.front() + ": " + std::strerror(cloneErrno));
    if (plan.failedErrno != 0) {
        waitForExit(pid);
        return makeError(ErrorCode::ServiceError,
                         "cannot start " + request.argv.front() + ": " + std::strerror(plan.failedErrno));
    }
    return pid;
}

int waitForExit(pid_t pid)
{
    int status = -1;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return status;
}

namespace {

std::string signalWords(int sig)
{
    // Go's os.ProcessState wording, which Lambda prints: glibc's descriptions, lower case.
    const char *description = ::sigdescr_np(sig);
    if (!description)
        return "signal " + std::to_string(sig);
    std::string words(description);
    for (char &c : words)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return words;
}

} // namespace

std::string describeWaitStatus(int status)
{
    if (WIFEXITED(status))
        return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "signal: " + signalWords(WTERMSIG(status));
    return "exit status unknown";
}

std::string describeLauncherExit(int status)
{
    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (code > 128 && code < 128 + 32)
            return "signal: " + signalWords(code - 128);
    }
    return describeWaitStatus(status);
}

} // namespace lambdesk::engine::procsandbox
