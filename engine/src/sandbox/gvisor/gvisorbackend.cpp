// The gVisor backend: every execution environment is an OCI container run by gVisor's `runsc`
// (ptrace platform; its kvm platform hangs on nested hypervisors like this one), so the function
// talks to gVisor's application kernel instead of the host's. Same layout and limits as the
// process backend. The Runtime API is a unix socket of the engine's, bind-mounted in
// (--host-uds=open), which lambdesk-sandbox-init relays to 127.0.0.1:9001 on gVisor's own
// loopback. Outbound traffic: runsc starts inside a network namespace of its own that
// slirp4netns serves (refusing the host's loopback) and passes sockets to it (--network=host;
// this runsc's --network=sandbox takes any namespace on a 6.x kernel for the root one and
// refuses); --network=none otherwise.

#include "sandbox/outboundnetwork.h"
#include "sandbox/processsupervisor.h"
#include "sandbox/runtimeapisocket.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxlayout.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;
using namespace procsandbox;
using nlohmann::json;

constexpr auto kProbeTimeout = std::chrono::seconds(30);

std::string findRunsc()
{
    for (const char *path : {"/usr/bin/runsc", "/usr/local/bin/runsc", "/usr/sbin/runsc"})
        if (::access(path, X_OK) == 0)
            return path;
    return {};
}

json ociMount(const std::string &destination, const std::string &type, const std::string &source,
              std::vector<std::string> options)
{
    return json{{"destination", destination},
                {"type", type},
                {"source", source},
                {"options", std::move(options)}};
}

// config.json of an OCI bundle for `layout`. gVisor needs every mount point to exist, so the
// root is the prepared skeleton and directories that hold further mounts become small tmpfs.
json ociConfig(const SandboxLayout &layout, const SandboxFiles &files)
{
    json mounts = json::array();
    for (const auto &mount : layout.mounts) {
        switch (mount.kind) {
        case MountEntry::Kind::Bind:
            mounts.push_back(ociMount(mount.destination, "bind", mount.source, {"rbind", "ro"}));
            break;
        case MountEntry::Kind::Dir:
            if (mount.destination != "/opt") // in the skeleton already
                mounts.push_back(
                    ociMount(mount.destination, "tmpfs", "tmpfs", {"mode=755", "size=1m"}));
            break;
        case MountEntry::Kind::Tmpfs:
            mounts.push_back(ociMount(
                mount.destination, "tmpfs", "tmpfs",
                {"nosuid", "nodev", "mode=1777", "size=" + std::to_string(mount.sizeBytes)}));
            break;
        case MountEntry::Kind::Proc:
            mounts.push_back(ociMount(mount.destination, "proc", "proc", {}));
            break;
        case MountEntry::Kind::Dev:
            mounts.push_back(ociMount(mount.destination, "tmpfs", "tmpfs", {"nosuid", "mode=755"}));
            break;
        case MountEntry::Kind::Symlink:
            break; // the skeleton has /bin, /lib...; links inside merged layers are not recreated
        }
    }
    return json{
        {"ociVersion", "1.0.0"},
        {"process",
         {{"user", {{"uid", kSandboxUid}, {"gid", kSandboxGid}}},
          {"args", layout.command},
          {"env", layout.environment},
          {"cwd", layout.workingDir},
          {"noNewPrivileges", true},
          {"capabilities",
           {{"bounding", json::array()},
            {"effective", json::array()},
            {"permitted", json::array()}}},
          {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})}}},
        {"root", {{"path", files.rootDir().string()}, {"readonly", true}}},
        {"hostname", "localhost"},
        {"mounts", std::move(mounts)},
        {"linux",
         {{"namespaces",
           json::array(
               {{{"type", "pid"}}, {{"type", "ipc"}}, {{"type", "uts"}}, {{"type", "mount"}}})}}},
    };
}

class GvisorBackend final : public SandboxBackend {
public:
    std::string name() const override { return "gvisor"; }
    bool servesRuntimeApiInside() const override { return true; }
    Availability probe() override;
    Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &spec) override;

private:
    struct Launched {
        std::shared_ptr<SupervisedTree> tree;
        UniqueFd output;
        std::function<void()> cleanup;
    };
    Result<std::shared_ptr<SandboxFiles>> files() { return m_files.get(); }
    Result<Launched> launch(const SandboxLayout &layout, const std::string &id,
                            std::uint64_t memoryLimit, int networkNamespaceFd = -1);
    Availability runProbe();

    ProbeOnce m_probe;
    SharedSandboxFiles m_files{"gvisor", {"state", "bundles", "api"}};
    std::string m_runsc = findRunsc();
    std::atomic<int> m_counter{0};
};

Result<GvisorBackend::Launched> GvisorBackend::launch(const SandboxLayout &layout,
                                                      const std::string &id,
                                                      std::uint64_t memoryLimit,
                                                      int networkNamespaceFd)
{
    auto filesResult = files();
    if (!filesResult)
        return filesResult.error();
    std::shared_ptr<SandboxFiles> files = *filesResult;
    const fs::path bundle = files->dir() / "bundles" / id;
    std::error_code ec;
    fs::create_directories(bundle, ec);
    {
        std::ofstream out(bundle / "config.json");
        out << ociConfig(layout, *files).dump();
        if (!out)
            return makeError(ErrorCode::ServiceError,
                             "cannot write " + (bundle / "config.json").string());
    }
    auto pipe = makePipe();
    if (!pipe)
        return pipe.error();
    ::fcntl(pipe->read.get(), F_SETFL, ::fcntl(pipe->read.get(), F_GETFL) | O_NONBLOCK);
    ::fcntl(pipe->write.get(), F_SETPIPE_SZ, 1 << 20);

    const std::string stateRoot = (files->dir() / "state").string();
    std::vector<std::string> global{m_runsc,
                                    "--root",
                                    stateRoot,
                                    "--platform=ptrace",
                                    networkNamespaceFd < 0 ? "--network=none" : "--network=host",
                                    "--host-uds=open",
                                    "--ignore-cgroups"};
    if (::geteuid() != 0)
        global.push_back("--rootless");
    SpawnRequest request;
    static const std::string nsenter = findProgram("nsenter");
    if (networkNamespaceFd >= 0) {
        if (nsenter.empty())
            return makeError(ErrorCode::Unsupported,
                             "gVisor's outbound network needs util-linux's nsenter");
        // By descriptor, not by the holder's pid: a pid can be reused, a descriptor cannot.
        request.argv = {nsenter, "--net=/proc/self/fd/" + std::to_string(networkNamespaceFd), "--"};
        request.inheritFds = {networkNamespaceFd};
    }
    request.argv.insert(request.argv.end(), global.begin(), global.end());
    request.argv.insert(request.argv.end(), {"run", "--bundle", bundle.string(), id});
    request.environment = {"PATH=/usr/bin:/bin"};
    request.stdoutFd = request.stderrFd = pipe->write.get();
    auto pid = ProcessSupervisor::instance().spawn(request);
    pipe->write.reset();
    if (!pid)
        return pid.error();

    auto tree = std::make_shared<SupervisedTree>(*pid, TreeView::Gvisor, memoryLimit);
    ProcessSupervisor::instance().watch(tree);
    // Once everything is dead: drop the container's state and bundle.
    auto cleanup = [files, global, id, bundle] {
        SpawnRequest remove;
        remove.argv = global;
        remove.argv.insert(remove.argv.end(), {"delete", "--force", id});
        remove.environment = {"PATH=/usr/bin:/bin"};
        if (auto deleter = ProcessSupervisor::instance().spawn(remove))
            waitForExit(*deleter);
        std::error_code ignored;
        fs::remove_all(bundle, ignored);
    };
    return Launched{std::move(tree), std::move(pipe->read), std::move(cleanup)};
}

Availability GvisorBackend::probe()
{
    return m_probe.get([this] { return runProbe(); });
}

Availability GvisorBackend::runProbe()
{
    if (m_runsc.empty())
        return {"gvisor", false,
                "gVisor (runsc) is not installed; install the Debian package 'runsc'"};
    auto filesResult = files();
    if (!filesResult)
        return {"gvisor", false, filesResult.error().message};
    // A real container: the same mounts as a function gets, running /usr/bin/true.
    SandboxLayout layout;
    layout.mounts = {{MountEntry::Kind::Bind, "/usr", "/usr", 0},
                     {MountEntry::Kind::Bind, (*filesResult)->etcDir().string(), "/etc", 0},
                     {MountEntry::Kind::Proc, {}, "/proc", 0},
                     {MountEntry::Kind::Tmpfs, {}, "/tmp", 1 << 20}};
    layout.command = {"/usr/bin/true"};
    layout.environment = {"PATH=/usr/bin:/bin"};
    layout.workingDir = "/";
    auto launched = launch(layout, "lambdesk-probe-" + std::to_string(::getpid()), 0);
    if (!launched)
        return {"gvisor", false, launched.error().message};
    TreeSandbox sandbox(std::move(launched->output), launched->tree, std::move(launched->cleanup));
    const auto deadline = std::chrono::steady_clock::now() + kProbeTimeout;
    std::string output;
    char buffer[4096];
    while (sandbox.isRunning() && std::chrono::steady_clock::now() < deadline) {
        ssize_t n;
        while ((n = ::read(sandbox.outputFd(), buffer, sizeof buffer)) > 0)
            output.append(buffer, static_cast<std::size_t>(n));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ssize_t n;
    while ((n = ::read(sandbox.outputFd(), buffer, sizeof buffer)) > 0)
        output.append(buffer, static_cast<std::size_t>(n));
    const bool finished = !sandbox.isRunning();
    const std::string exit = sandbox.exitDescription();
    sandbox.kill();
    if (finished && exit == "exit status 0")
        return {"gvisor", true, "gVisor " + m_runsc + " (ptrace platform)"};
    while (!output.empty() && (output.back() == '\n' || output.back() == ' '))
        output.pop_back();
    if (output.size() > 400)
        output = output.substr(output.size() - 400);
    return {"gvisor", false,
            std::string("runsc cannot run a container here (") +
                (finished ? exit : "no answer in 30 s") + (output.empty() ? "" : ": " + output) +
                ")"};
}

Result<std::unique_ptr<Sandbox>> GvisorBackend::start(const EnvironmentSpec &spec)
{
    if (m_runsc.empty())
        return makeError(ErrorCode::Unsupported,
                         "the gvisor sandbox needs runsc, which is not installed");
    if (!fs::is_directory(spec.codeDir))
        return makeError(ErrorCode::ServiceError,
                         "code directory " + spec.codeDir.string() + " does not exist");
    auto files = this->files();
    if (!files)
        return files.error();
    auto layout = makeSandboxLayout(spec, **files);
    if (!layout)
        return layout.error();
    // Container ids must be unique in the state root, also when the engine reuses a spec id.
    std::string id = "lambdesk-" + spec.id + "-" + std::to_string(++m_counter);
    for (char &c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            c = '-';
    if (!spec.serveRuntimeApi)
        return makeError(ErrorCode::ServiceError,
                         "the gvisor sandbox serves the Runtime API inside; no server given");
    auto socketDir = serveRuntimeApiOnUnixSocket((*files)->dir() / "api", spec);
    if (!socketDir)
        return socketDir.error();
    layout->mounts.push_back({MountEntry::Kind::Bind, socketDir->string(), kSandboxSocketDir, 0});
    if (auto wrapped = startThroughSandboxInit(
            *layout, **files,
            {"--relay", std::string(kSandboxSocketDir) + "/" + kRuntimeApiSocketName});
        !wrapped)
        return wrapped.error();
    // runsc joins a network namespace only as root; rootless, the function has no network.
    HeldNetwork network;
    if (spec.allowNetwork && ::geteuid() == 0) {
        auto held = holdOutboundNetwork();
        std::error_code ignored;
        if (!held) {
            fs::remove_all(*socketDir, ignored);
            return held.error();
        }
        network = std::move(*held);
    }
    const auto limit = static_cast<std::uint64_t>(std::max(1, spec.memoryMb)) << 20;
    auto launched =
        launch(*layout, id, limit, network.namespaceFd ? network.namespaceFd->get() : -1);
    std::error_code ignored;
    if (!launched) {
        network.kill();
        fs::remove_all(*socketDir, ignored);
        return launched.error();
    }
    std::unique_ptr<Sandbox> sandbox = std::make_unique<TreeSandbox>(
        std::move(launched->output), std::move(launched->tree),
        [cleanup = std::move(launched->cleanup), dir = *socketDir, network]() mutable {
            cleanup();
            network.kill();
            std::error_code ec;
            fs::remove_all(dir, ec);
        });
    return sandbox;
}

} // namespace

std::unique_ptr<SandboxBackend> makeGvisorBackend()
{
    return std::make_unique<GvisorBackend>();
}

} // namespace lambdesk::engine
