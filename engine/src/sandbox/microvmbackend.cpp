// The microvm sandbox backend: every execution environment is a QEMU microvm guest with its own
// kernel. Cold starts restore a snapshot of an idle guest (see microvmsnapshots.h); the function's
// code, layers and runtime bootstrap reach the guest read-only over virtio-9p, and the runtime
// talks to the engine's Runtime API through the agent (see microvmchannel.h).

#include "sandbox/microvmimage.h"
#include "sandbox/microvmmachine.h"
#include "sandbox/microvmqmp.h"
#include "sandbox/microvmsandbox.h"
#include "sandbox/microvmsnapshots.h"
#include "sandbox/sandbox.h"

#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
namespace proto = microvm;

namespace {

constexpr const char *kQemu = "/usr/bin/qemu-system-x86_64";
constexpr auto kKvmProbeLimit = std::chrono::seconds(20);
constexpr auto kSnapshotLimit = std::chrono::seconds(180);
constexpr auto kRestoreLimit = std::chrono::seconds(30);
// Lambda's runtime user; the function never runs as root inside its guest.
constexpr const char *kGuestUid = "993";
constexpr const char *kGuestGid = "990";

std::string randomHex(std::size_t bytes)
{
    std::random_device device;
    std::string out;
    static const char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < bytes; ++i) {
        const auto b = static_cast<unsigned>(device()) & 0xFF;
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

std::string randomBytes(std::size_t n)
{
    std::random_device device;
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back(static_cast<char>(device() & 0xFF));
    return out;
}

void closeAll(std::initializer_list<int> fds)
{
    for (int fd : fds)
        ::close(fd);
}

std::string firstLine(const std::string &text)
{
    return text.substr(0, text.find('\n'));
}

class MicroVmBackend final : public SandboxBackend {
public:
    explicit MicroVmBackend(fs::path cacheDir)
        : m_cacheDir(std::move(cacheDir)), m_runDir(m_cacheDir / "run" / "microvm"),
          m_emptyDir(m_cacheDir / "guest" / "empty"),
          m_snapshots(m_cacheDir / "snapshots", m_runDir, m_emptyDir)
    {
        const int reaped = MicroVmProcess::reapLeftovers(m_runDir);
        if (reaped > 0)
            std::fprintf(stderr, "lambdesk: reaped %d microVM(s) left by an engine that was killed\n",
                         reaped);
    }

    std::string name() const override { return "microvm"; }

    Availability probe() override
    {
        std::lock_guard lock(m_probeMutex);
        if (m_probed)
            return m_availability;
        m_probed = true;
        m_availability = {"microvm", false, ""};
        std::error_code ec;
        if (!fs::exists(kQemu, ec)) {
            m_availability.detail = "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)";
            return m_availability;
        }
        auto image = MicroVmImage::locate(m_cacheDir);
        if (!image) {
            m_availability.detail = image.error().message;
            return m_availability;
        }
        m_image = *image;
        m_snapshots.prune(m_image.kernel, m_image.rootfs);
        // Decide by booting, never by opening /dev/kvm: a nested paravirtual KVM accepts
        // KVM_CREATE_VM and then fails on the first emulated instruction. The probe boot is the
        // snapshot of the default shape, so it is paid once per image, not per engine start.
        std::string kvmFailure = "no usable /dev/kvm";
        if (::access("/dev/kvm", R_OK | W_OK) == 0) {
            auto kvm = m_snapshots.ensure(baseLaunch({128, 1, false, "kvm"}), Clock::now() + kKvmProbeLimit);
            if (kvm) {
                m_accel = "kvm";
                m_availability.available = true;
                m_availability.detail = "kvm: QEMU microvm with KVM";
                return m_availability;
            }
            kvmFailure = "KVM probe boot failed: " + firstLine(kvm.error().message);
        }
        auto tcg = m_snapshots.ensure(baseLaunch({128, 1, false, "tcg"}), Clock::now() + kSnapshotLimit);
        if (!tcg) {
            m_availability.detail = "the probe boot failed: " + tcg.error().message;
            return m_availability;
        }
        m_accel = "tcg";
        m_availability.available = true;
        m_availability.detail = "tcg: QEMU microvm under TCG emulation (" + kvmFailure + ")";
        return m_availability;
    }

    Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &spec) override
    {
        const Availability availability = probe();
        if (!availability.available)
            return makeError(ErrorCode::Unsupported, "microvm sandbox unavailable: " + availability.detail);
        auto command = guestCommand(spec);
        if (!command)
            return command.error();
        std::error_code ec;
        fs::create_directories(spec.scratchDir, ec);
        auto optDir = layersDir(spec);
        if (!optDir)
            return optDir.error();

        const MicroVmShape shape{spec.memoryMb, MicroVmShape::vcpusFor(spec.memoryMb),
                                 spec.allowNetwork, m_accel};
        MicroVmLaunch launch = baseLaunch(shape);
        addZygote(launch, spec);
        auto snapshot = m_snapshots.ensure(launch, Clock::now() + kSnapshotLimit);
        if (!snapshot)
            return snapshot.error();
        launch.name = "lambdesk-" + spec.id;
        launch.ramFile = snapshot->ram;
        launch.shareRam = false;
        launch.incomingState = snapshot->state;
        launch.consoleLog = spec.scratchDir / "console.log";
        const fs::path runtimeDir =
            spec.runtime.bootstrap.empty() ? m_emptyDir : spec.runtime.bootstrap.parent_path();
        launch.exports = {{"task", spec.codeDir}, {"opt", *optDir}, {"runtime", runtimeDir}};

        int serial[2];
        int qmp[2];
        int output[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, serial) != 0)
            return makeError(ErrorCode::ServiceError, "microvm: socketpair failed");
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, qmp) != 0) {
            closeAll({serial[0], serial[1]});
            return makeError(ErrorCode::ServiceError, "microvm: socketpair failed");
        }
        if (::pipe2(output, O_CLOEXEC) != 0) {
            closeAll({serial[0], serial[1], qmp[0], qmp[1]});
            return makeError(ErrorCode::ServiceError, "microvm: pipe failed");
        }
        ::fcntl(output[0], F_SETFL, O_NONBLOCK);
        ::fcntl(output[1], F_SETPIPE_SZ, 1024 * 1024);
        auto channel = std::make_unique<MicroVmChannel>(
            serial[0], MicroVmChannel::Target{spec.runtimeApiHost, spec.runtimeApiPort, output[1]});
        MicroVmQmp monitor(qmp[0]);
        launch.serialFd = 3;
        launch.qmpFd = 4;
        auto process = MicroVmProcess::spawn(qemuArguments(launch), {serial[1], qmp[1]},
                                             spec.scratchDir / "qemu.log", m_runDir);
        closeAll({serial[1], qmp[1]});
        if (!process) {
            ::close(output[0]);
            return process.error();
        }
        auto sandbox = std::make_unique<MicroVmSandbox>(std::move(*process), std::move(channel),
                                                        output[0], spec.scratchDir / "qemu.log");
        if (auto restored = MicroVmSnapshots::restore(monitor, *snapshot, Clock::now() + kRestoreLimit);
            !restored)
            return makeError(ErrorCode::ServiceError,
                             "microvm: restoring the snapshot failed: " + restored.error().message);
        sandbox->channel().sendStart(startFields(spec, *command));
        return std::unique_ptr<Sandbox>(std::move(sandbox));
    }

private:
    MicroVmLaunch baseLaunch(const MicroVmShape &shape) const
    {
        MicroVmLaunch launch;
        launch.qemu = kQemu;
        launch.kernel = m_image.kernel;
        launch.rootfs = m_image.rootfs;
        launch.shape = shape;
        return launch;
    }

    // Python and Node snapshots hold a zygote: the interpreter started and preloaded, waiting for
    // its Start (packaging/guest/zygote). Interpreter start-up is most of a cold start under TCG.
    static void addZygote(MicroVmLaunch &launch, const EnvironmentSpec &spec)
    {
        const char *script = spec.runtime.kind == RuntimeKind::Python ? "/usr/lib/lambdesk/zygote.py"
                             : spec.runtime.kind == RuntimeKind::Node ? "/usr/lib/lambdesk/zygote.js"
                                                                      : nullptr;
        if (!script)
            return;
        std::error_code ec;
        const fs::path interpreter = fs::canonical(spec.runtime.interpreter, ec);
        launch.flavor = interpreter.filename().string();
        launch.prepare = {{"argv", interpreter.string()}, {"argv", script},
                          {"env:PATH", "/usr/local/bin:/usr/bin:/bin"}, {"env:LANG", "C.UTF-8"},
                          {"env:HOME", "/tmp"}, {"uid", kGuestUid}, {"gid", kGuestGid}};
        if (spec.runtime.kind == RuntimeKind::Python)
            launch.prepare.emplace("env:PYTHONUNBUFFERED", "1");
    }

    // argv of the runtime inside the guest (paths as the guest sees them).
    Result<std::vector<std::string>> guestCommand(const EnvironmentSpec &spec) const
    {
        std::error_code ec;
        if (spec.runtime.kind == RuntimeKind::Provided) {
            if (fs::exists(spec.codeDir / "bootstrap", ec))
                return std::vector<std::string>{"/var/task/bootstrap"};
            for (const auto &layer : spec.layerDirs)
                if (fs::exists(layer / "bootstrap", ec))
                    return std::vector<std::string>{"/opt/bootstrap"};
            return makeError(ErrorCode::InvalidParameter,
                             "runtime " + spec.runtime.id + ": no bootstrap in the function's code or layers");
        }
        if (!m_image.holdsInterpreter(spec.runtime.interpreter))
            return makeError(ErrorCode::Unsupported,
                             "the microVM guest image has no " + spec.runtime.interpreter.string() +
                                 "; rebuild it with " + MicroVmImage::buildScript().string());
        const fs::path interpreter = fs::canonical(spec.runtime.interpreter, ec);
        return std::vector<std::string>{interpreter.string(),
                                        "/var/runtime/" + spec.runtime.bootstrap.filename().string()};
    }

    // The directory exported at /opt: layers merged in order (later layers win), as Lambda does.
    Result<fs::path> layersDir(const EnvironmentSpec &spec) const
    {
        if (spec.layerDirs.empty())
            return m_emptyDir;
        if (spec.layerDirs.size() == 1)
            return spec.layerDirs.front();
        const fs::path merged = spec.scratchDir / "opt";
        std::error_code ec;
        fs::remove_all(merged, ec);
        for (const auto &layer : spec.layerDirs) {
            fs::copy(layer, merged,
                     fs::copy_options::recursive | fs::copy_options::overwrite_existing |
                         fs::copy_options::copy_symlinks, ec);
            if (ec)
                return makeError(ErrorCode::ServiceError,
                                 "cannot merge layer " + layer.string() + ": " + ec.message());
        }
        return merged;
    }

    proto::Fields startFields(const EnvironmentSpec &spec, const std::vector<std::string> &command) const
    {
        proto::Fields fields;
        fields.emplace("nonce", randomHex(8));
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        fields.emplace("time_ns", std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
        fields.emplace("entropy", randomBytes(64));
        fields.emplace("tmp_mb", std::to_string(spec.ephemeralStorageMb));
        fields.emplace("mount", "task:/var/task");
        fields.emplace("mount", "opt:/opt");
        fields.emplace("mount", "runtime:/var/runtime");
        for (const auto &arg : command)
            fields.emplace("argv", arg);
        for (const auto &[key, value] : spec.environment)
            fields.emplace("env:" + key, value);
        // The runtime reaches the Runtime API through the agent, at a guest-local address.
        fields.erase("env:AWS_LAMBDA_RUNTIME_API");
        fields.emplace("env:AWS_LAMBDA_RUNTIME_API",
                       "127.0.0.1:" + std::to_string(proto::kGuestRuntimeApiPort));
        fields.emplace("cwd", "/var/task");
        fields.emplace("uid", kGuestUid);
        fields.emplace("gid", kGuestGid);
        return fields;
    }

    fs::path m_cacheDir;
    fs::path m_runDir;
    fs::path m_emptyDir;
    MicroVmSnapshots m_snapshots;
    std::mutex m_probeMutex;
    bool m_probed = false;
    Availability m_availability;
    MicroVmImage m_image;
    std::string m_accel = "tcg";
};

} // namespace

std::unique_ptr<SandboxBackend> makeMicroVmBackend(const fs::path &cacheDir)
{
    return std::make_unique<MicroVmBackend>(cacheDir);
}

} // namespace lambdesk::engine
