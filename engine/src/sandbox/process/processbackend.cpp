// The process backend: every execution environment is its own bubblewrap sandbox (user, pid,
// ipc, uts, mount and network namespaces) whose memory the shared ProcessSupervisor watches. Its
// Runtime API listens inside its own network namespace; outbound traffic leaves through
// slirp4netns, which refuses the host's loopback.

#include "sandbox/outboundnetwork.h"
#include "sandbox/processsupervisor.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxlayout.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;
using namespace procsandbox;

constexpr int kOutputPipeBytes = 1 << 20;

// The read end is non-blocking (the contract of outputFd()); the write end is what the runtime
// gets as stdout and stderr.
Result<Pipe> makeOutputPipe()
{
    auto pipe = makePipe();
    if (!pipe)
        return pipe;
    ::fcntl(pipe->read.get(), F_SETFL, ::fcntl(pipe->read.get(), F_GETFL) | O_NONBLOCK);
    // Room for a burst of output while the engine is busy; best effort (limited by pipe-max-size).
    ::fcntl(pipe->write.get(), F_SETPIPE_SZ, kOutputPipeBytes);
    return pipe;
}

std::string drain(int fd)
{
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<std::size_t>(n));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// bwrap (--block-fd) waits with its namespace init created but the runtime not yet started;
// returns the init's host pid (0 when bwrap went away first).
pid_t waitForNamespaceInit(pid_t bwrap)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto children = ProcDir::host().children(bwrap);
        if (!children.empty())
            return children.front();
        if (!ProcDir::host().exists(bwrap))
            return 0;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return 0;
}

struct ListenerChannel {
    UniqueFd engineEnd;
    UniqueFd sandboxEnd;
};

Result<ListenerChannel> makeListenerChannel()
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
        return makeError(ErrorCode::ServiceError,
                         std::string("cannot create a socket pair: ") + std::strerror(errno));
    return ListenerChannel{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// The Runtime API's listening socket, opened inside the sandbox's network namespace by
// lambdesk-sandbox-init. EOF or a silent sandbox: the reason, with what it wrote.
Result<UniqueFd> receiveListener(int channel, SupervisedTree &tree)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd ready{channel, POLLIN, 0};
        const int polled = ::poll(&ready, 1, 100);
        if (polled < 0 && errno != EINTR)
            break;
        if (polled <= 0) {
            if (!tree.isRunning())
                break;
            continue;
        }
        char byte = 0;
        iovec data{&byte, 1};
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        msghdr message{};
        message.msg_iov = &data;
        message.msg_iovlen = 1;
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        if (::recvmsg(channel, &message, MSG_CMSG_CLOEXEC) <= 0)
            break;
        const cmsghdr *header = CMSG_FIRSTHDR(&message);
        if (header && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int fd = -1;
            std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
            return UniqueFd(fd);
        }
        break;
    }
    return makeError(ErrorCode::ServiceError,
                     "the sandbox did not open its Runtime API address (" +
                         (tree.isRunning() ? std::string("no answer") : tree.exitDescription()) +
                         ")");
}

class ProcessBackend final : public SandboxBackend {
public:
    std::string name() const override { return "process"; }
    bool servesRuntimeApiInside() const override { return true; }
    Availability probe() override;
    Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &spec) override;

private:
    Result<std::shared_ptr<SandboxFiles>> files() { return m_files.get(); }
    Availability runProbe();

    ProbeOnce m_probe;
    SharedSandboxFiles m_files{"sandbox"};
    std::string m_bwrap = findProgram("bwrap");
    std::atomic<unsigned> m_counter{0};
};

Availability ProcessBackend::probe()
{
    return m_probe.get([this] { return runProbe(); });
}

Availability ProcessBackend::runProbe()
{
    if (m_bwrap.empty())
        return {"process", false,
                "bubblewrap (bwrap) is not installed; install the Debian package 'bubblewrap'"};
    auto pipe = makeOutputPipe();
    if (!pipe)
        return {"process", false, pipe.error().message};
    Availability result{"process", false, {}};
    SpawnRequest request;
    request.argv = {m_bwrap,         "--unshare-user", "--unshare-pid",
                    "--unshare-ipc", "--unshare-uts",  "--die-with-parent",
                    "--ro-bind",     "/usr",           "/usr",
                    "--symlink",     "usr/lib",        "/lib",
                    "--symlink",     "usr/lib64",      "/lib64",
                    "--symlink",     "usr/bin",        "/bin",
                    "--proc",        "/proc",          "--",
                    "/usr/bin/true"};
    request.stdoutFd = request.stderrFd = pipe->write.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    pipe->write.reset();
    if (!pid) {
        result.detail = pid.error().message;
        return result;
    }
    const int status = waitForExit(*pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        result.available = true;
        result.detail = "bubblewrap namespaces (" + m_bwrap + ")";
    } else {
        const std::string why = drain(pipe->read.get());
        result.detail = "bubblewrap cannot create namespaces here (" + describeWaitStatus(status) +
                        (why.empty() ? "" : ": " + why) + ")";
    }
    return result;
}

Result<std::unique_ptr<Sandbox>> ProcessBackend::start(const EnvironmentSpec &spec)
{
    if (m_bwrap.empty())
        return makeError(ErrorCode::Unsupported,
                         "the process sandbox needs bubblewrap (bwrap), which is not installed");
    if (!fs::is_directory(spec.codeDir))
        return makeError(ErrorCode::ServiceError,
                         "code directory " + spec.codeDir.string() + " does not exist");
    if (spec.runtime.kind != RuntimeKind::Provided && !fs::exists(spec.runtime.interpreter))
        return makeError(ErrorCode::Unsupported,
                         "interpreter " + spec.runtime.interpreter.string() + " is missing");
    if (!spec.serveRuntimeApi)
        return makeError(ErrorCode::ServiceError,
                         "the process sandbox serves the Runtime API inside; no server given");
    auto files = this->files();
    if (!files)
        return files.error();
    auto layout = makeSandboxLayout(spec, **files);
    if (!layout)
        return layout.error();
    auto channel = makeListenerChannel();
    if (!channel)
        return channel.error();
    if (auto wrapped = startThroughSandboxInit(
            *layout, **files, {"--pass-listener", std::to_string(channel->sandboxEnd.get())});
        !wrapped)
        return wrapped.error();
    auto pipe = makeOutputPipe();
    if (!pipe)
        return pipe.error();
    // Holds bwrap before it starts the runtime, until it is in the cgroup and has its network.
    auto gate = makePipe();
    if (!gate)
        return gate.error();

    const auto limit = static_cast<std::uint64_t>(std::max(1, spec.memoryMb)) << 20;
    std::unique_ptr<MemoryCgroup> cgroup;
    if (MemoryCgroups *cgroups = MemoryCgroups::instance())
        if (auto created = cgroups->create(spec.id + "-" + std::to_string(++m_counter), limit))
            cgroup = std::move(*created);

    SpawnRequest request;
    request.argv = {m_bwrap, "--block-fd", std::to_string(gate->read.get())};
    request.inheritFds = {gate->read.get(), channel->sandboxEnd.get()};
    const auto args = bwrapArguments(*layout);
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.environment = std::move(layout->environment);
    request.stdoutFd = request.stderrFd = pipe->write.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    pipe->write.reset(); // the runtime holds the only write ends now: EOF means it is gone
    channel->sandboxEnd.reset();
    gate->read.reset();
    if (!pid)
        return pid.error();

    const pid_t namespaceInit = waitForNamespaceInit(*pid);
    if (cgroup && (namespaceInit <= 0 || !cgroup->add(*pid) || !cgroup->add(namespaceInit)))
        cgroup.reset(); // the watchdog limits this one
    auto tree =
        std::make_shared<SupervisedTree>(*pid, TreeView::PidNamespace, limit, std::move(cgroup));
    ProcessSupervisor::instance().watch(tree);

    gate->write.reset(); // EOF unblocks bwrap
    std::shared_ptr<SupervisedTree> network;

    auto listener = receiveListener(channel->engineEnd.get(), *tree);
    if (!listener) {
        tree->kill();
        if (network)
            network->kill();
        const std::string output = drain(pipe->read.get()); // bwrap's or the init's own words
        return makeError(listener.error().code,
                         listener.error().message + (output.empty() ? "" : ": " + output));
    }
    // Only once bwrap has set up the namespace's loopback (the listener proves it): slirp4netns
    // configuring tap0 at the same time makes bwrap's RTM_NEWADDR fail.
    if (spec.allowNetwork && namespaceInit > 0) {
        auto attached = attachOutboundNetwork(namespaceInit);
        if (!attached) {
            tree->kill();
            return attached.error();
        }
        network = std::move(*attached);
    }
    if (auto served = spec.serveRuntimeApi(listener->release()); !served) {
        tree->kill();
        if (network)
            network->kill();
        return served.error();
    }
    // The sandbox keeps the generated /etc alive even if the backend goes first; its network
    // stack goes with it.
    std::unique_ptr<Sandbox> sandbox = std::make_unique<TreeSandbox>(
        std::move(pipe->read), std::move(tree), [keep = *files, network] {
            if (network)
                network->kill();
        });
    return sandbox;
}

} // namespace

std::unique_ptr<SandboxBackend> makeProcessBackend()
{
    return std::make_unique<ProcessBackend>();
}

} // namespace lambdesk::engine
