// The process backend: every execution environment is its own bubblewrap sandbox (user, pid,
// ipc, uts and mount namespaces) whose memory the shared ProcessSupervisor watches.

#include "sandbox/processsupervisor.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxlayout.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <thread>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <sstream>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;
using namespace procsandbox;

constexpr int kOutputPipeBytes = 1 << 20;

std::string findProgram(const std::string &name)
{
    for (const char *dir : {"/usr/bin", "/bin", "/usr/local/bin"})
        if (::access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
            return std::string(dir) + "/" + name;
    if (const char *path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        std::string dir;
        while (std::getline(dirs, dir, ':'))
            if (!dir.empty() && dir[0] == '/' && ::access((dir + "/" + name).c_str(), X_OK) == 0)
                return dir + "/" + name;
    }
    return {};
}

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

// bwrap (--block-fd) waits with its namespace init created but the runtime not yet started:
// moving both into the cgroup now puts every later process of the sandbox there too.
bool enterCgroup(pid_t bwrap, MemoryCgroup &cgroup)
{
    if (!cgroup.add(bwrap))
        return false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto children = ProcDir::host().children(bwrap);
        if (!children.empty())
            return cgroup.add(children.front()).ok();
        if (!ProcDir::host().exists(bwrap))
            return false;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return false;
}

class ProcessBackend final : public SandboxBackend {
public:
    std::string name() const override { return "process"; }
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
    request.argv = {m_bwrap, "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                    "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
                    "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc",
                    "--", "/usr/bin/true"};
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
        result.detail = "bubblewrap cannot create namespaces here (" + describeWaitStatus(status)
                        + (why.empty() ? "" : ": " + why) + ")";
    }
    return result;
}

Result<std::unique_ptr<Sandbox>> ProcessBackend::start(const EnvironmentSpec &spec)
{
    if (m_bwrap.empty())
        return makeError(ErrorCode::Unsupported, "the process sandbox needs bubblewrap (bwrap), which is not installed");
    if (!fs::is_directory(spec.codeDir))
        return makeError(ErrorCode::ServiceError, "code directory " + spec.codeDir.string() + " does not exist");
    if (spec.runtime.kind != RuntimeKind::Provided && !fs::exists(spec.runtime.interpreter))
        return makeError(ErrorCode::Unsupported, "interpreter " + spec.runtime.interpreter.string() + " is missing");
    auto files = this->files();
    if (!files)
        return files.error();
    auto layout = makeSandboxLayout(spec, **files);
    if (!layout)
        return layout.error();
    auto pipe = makeOutputPipe();
    if (!pipe)
        return pipe.error();

    const auto limit = static_cast<std::uint64_t>(std::max(1, spec.memoryMb)) << 20;
    std::unique_ptr<MemoryCgroup> cgroup;
    std::optional<Pipe> gate; // holds bwrap before it starts the runtime, until it is in the cgroup
    if (MemoryCgroups *cgroups = MemoryCgroups::instance()) {
        if (auto created = cgroups->create(spec.id + "-" + std::to_string(++m_counter), limit)) {
            auto pipeForGate = makePipe();
            if (pipeForGate) {
                cgroup = std::move(*created);
                gate = std::move(*pipeForGate);
            }
        }
    }

    SpawnRequest request;
    request.argv.push_back(m_bwrap);
    if (gate) {
        request.argv.insert(request.argv.end(), {"--block-fd", std::to_string(gate->read.get())});
        request.inheritFds.push_back(gate->read.get());
    }
    const auto args = bwrapArguments(*layout);
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    request.environment = std::move(layout->environment);
    request.stdoutFd = request.stderrFd = pipe->write.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    pipe->write.reset(); // the runtime holds the only write ends now: EOF means it is gone
    if (!pid)
        return pid.error();
    if (gate && !enterCgroup(*pid, *cgroup))
        cgroup.reset(); // the watchdog limits this one
    gate.reset(); // EOF unblocks bwrap in any case

    auto tree = std::make_shared<SupervisedTree>(*pid, TreeView::PidNamespace, limit, std::move(cgroup));
    ProcessSupervisor::instance().watch(tree);
    // The sandbox keeps the generated /etc alive even if the backend goes first.
    std::unique_ptr<Sandbox> sandbox =
        std::make_unique<TreeSandbox>(std::move(pipe->read), std::move(tree), [keep = *files] {});
    return sandbox;
}

} // namespace

std::unique_ptr<SandboxBackend> makeProcessBackend()
{
    return std::make_unique<ProcessBackend>();
}

} // namespace lambdesk::engine
