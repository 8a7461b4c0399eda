// The microvm sandbox backend: every execution environment is a QEMU microvm guest with its own
// kernel. Cold starts restore a snapshot of an idle guest (see microvmsnapshots.h); the function's
// code, layers and runtime bootstrap reach the guest read-only over virtio-9p, and the runtime
// talks to the engine's Runtime API through the agent (see microvmchannel.h).

#include "common/random.h"
#include "sandbox/microvmfunctionsnapshots.h"
#include "sandbox/microvmimage.h"
#include "sandbox/microvmmachine.h"
#include "sandbox/microvmpool.h"
#include "sandbox/microvmsandbox.h"
#include "sandbox/microvmsnapshots.h"
#include "sandbox/runtimeapisocket.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxlayout.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
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

// LAMBDESK_MICROVM_POOL: guests kept restored ahead per snapshot and runtime (default 1, 0 = off).
std::size_t poolSizeFromEnvironment()
{
    const char *value = std::getenv("LAMBDESK_MICROVM_POOL");
    return value && *value ? static_cast<std::size_t>(std::strtoul(value, nullptr, 10)) : 1;
}

// LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS: function snapshots kept (default 8, 0 = none made or used).
std::size_t functionSnapshotsFromEnvironment()
{
    const char *value = std::getenv("LAMBDESK_MICROVM_FUNCTION_SNAPSHOTS");
    return value && *value ? static_cast<std::size_t>(std::strtoul(value, nullptr, 10)) : 8;
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
          m_placeholderDisk(m_cacheDir / "guest" / "empty.disk"),
          m_snapshots(m_cacheDir / "snapshots", m_runDir, m_emptyDir),
          m_functionSnapshots(m_cacheDir / "snapshots", m_snapshots, m_emptyDir, functionSnapshotsFromEnvironment())
    {
        std::error_code ec;
        fs::create_directories(m_emptyDir, ec);
        // Every VM's second disk; a function snapshot's guest gets the function's instead.
        if (fs::file_size(m_placeholderDisk, ec) != kFunctionImageBytes) {
            std::ofstream(m_placeholderDisk, std::ios::binary | std::ios::trunc).flush();
            fs::resize_file(m_placeholderDisk, kFunctionImageBytes, ec);
        }
        const int reaped = MicroVmProcess::reapLeftovers(m_runDir);
        removeStalePoolSlots();
        if (reaped > 0)
            std::fprintf(stderr, "lambdesk: reaped %d microVM(s) left by an engine that was killed\n",
                         reaped);
    }

    std::string name() const override { return "microvm"; }
    // On a unix socket only this engine can reach (runtimeapisocket.h); the guest's agent relays
    // 127.0.0.1:9001 inside the VM to it over virtio-serial.
    bool servesRuntimeApiInside() const override { return true; }

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
            auto kvm = m_snapshots.ensure(baseLaunch(m_image, {128, 1, false, "kvm"}), Clock::now() + kKvmProbeLimit);
            if (kvm) {
                m_accel = "kvm";
                m_availability.available = true;
                m_availability.detail = "kvm: QEMU microvm with KVM";
                return m_availability;
            }
            kvmFailure = "KVM probe boot failed: " + firstLine(kvm.error().message);
        }
        auto tcg = m_snapshots.ensure(baseLaunch(m_image, {128, 1, false, "tcg"}), Clock::now() + kSnapshotLimit);
        if (!tcg) {
            m_availability.detail = "the probe boot failed: " + tcg.error().message;
            return m_availability;
        }
        m_accel = "tcg";
        m_availability.available = true;
        m_availability.detail = "tcg: QEMU microvm under TCG emulation (" + kvmFailure + ")";
        return m_availability;
    }

    void forgetProbe() override
    {
        std::lock_guard lock(m_probeMutex);
        m_probed = false;
    }

    Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &spec) override
    {
        const Availability availability = probe();
        if (!availability.available)
            return makeError(ErrorCode::Unsupported, "microvm sandbox unavailable: " + availability.detail);
        // Copies: rescanSandboxes() may swap the image while this start runs.
        MicroVmImage image;
        std::string accel;
        {
            std::lock_guard lock(m_probeMutex);
            image = m_image;
            accel = m_accel;
        }
        auto runtime = guestRuntime(spec, image);
        if (!runtime)
            return runtime.error();
        std::error_code ec;
        fs::create_directories(spec.scratchDir, ec);

        // A user-mode NIC unless lambdesk:network=none; its QEMU runs in a namespace of its own, so
        // the 10.0.2.2 that QEMU maps to "the host's loopback" is that namespace's (empty) one.
        const MicroVmShape shape{spec.memoryMb, MicroVmShape::vcpusFor(spec.memoryMb),
                                 spec.allowNetwork, accel};
        MicroVmLaunch launch = baseLaunch(image, shape);
        addZygote(launch, spec, *runtime);
        auto snapshot = m_snapshots.ensure(launch, Clock::now() + kSnapshotLimit);
        if (!snapshot)
            return snapshot.error();
        std::vector<std::string> command = runtime->interpreter;
        command.push_back(runtime->script);
        const proto::Fields fields = startFields(spec, command);

        // A function snapshot of this exact code and configuration: restore it and resume.
        const bool snapStart = spec.snapStart;
        const std::string functionKey =
            snapStart ? functionSnapshotKey(*snapshot, spec, runtime->runtimeDir, fields) : std::string();
        if (auto function = snapStart ? m_functionSnapshots.find(functionKey) : std::nullopt) {
            auto resumed = resumeFunction(launch, spec, *function);
            if (resumed)
                return resumed;
            std::fprintf(stderr, "lambdesk: function snapshot dropped: %s\n", resumed.error().message.c_str());
            m_functionSnapshots.forget(functionKey);
        }

        // A pooled guest of this snapshot and runtime skips QEMU's start and the restore; its
        // exports point into a slot that gets the function's files now.
        const std::string poolKey = snapshot->state.string() + "|" + runtime->runtimeDir.string();
        MicroVmGuest guest;
        if (auto pooled = m_pool.take(poolKey)) {
            guest = std::move(*pooled);
            if (auto filled = MicroVmPool::populate(guest.slotDir / "task", {spec.codeDir}); !filled)
                return filled.error();
            if (auto filled = MicroVmPool::populate(guest.slotDir / "opt", spec.layerDirs); !filled)
                return filled.error();
        } else {
            auto optDir = layersDir(spec);
            if (!optDir)
                return optDir.error();
            launch.name = "lambdesk-" + spec.id;
            launch.consoleLog = spec.scratchDir / "console.log";
            launch.exports = {{"task", spec.codeDir}, {"opt", *optDir}, {"runtime", runtime->runtimeDir}};
            auto restored = m_snapshots.restore(launch, *snapshot, Clock::now() + kRestoreLimit);
            if (!restored)
                return restored.error();
            guest = std::move(*restored);
        }
        // Once this guest's init is done (under TCG both compete for the same cores): restore
        // the next pooled guest, and make this function's snapshot for its later cold starts.
        FunctionSnapshotRequest request{functionKey, launch, *snapshot,
                                        {{"task", {spec.codeDir}}, {"opt", spec.layerDirs}, {"runtime", {runtime->runtimeDir}}},
                                        fields};
        auto afterInit = [this, poolKey, launch, snapshot = *snapshot, dir = runtime->runtimeDir,
                          request = std::move(request), snapStart]() mutable {
            if (m_pool.enabled())
                refillPool(poolKey, launch, snapshot, dir);
            if (snapStart)
                m_functionSnapshots.request(std::move(request));
        };
        return launchSandbox(std::move(guest), spec, fields, std::move(afterInit));
    }

private:
    // A QEMU for a function snapshot waits ready in the pool (a spare), so that a cold start is
    // the restore itself: state load, resume, and the held /next going out.
    Result<std::unique_ptr<Sandbox>> resumeFunction(MicroVmLaunch launch, const EnvironmentSpec &spec,
                                                    const MicroVmFunctionSnapshot &function)
    {
        launch.functionImage = function.image;
        for (const auto &tag : microVmExportTags()) // same devices as the snapshot, unused
            launch.exports.emplace_back(tag, m_emptyDir);
        const std::string spareKey = "function|" + function.snapshot.state.string();
        const auto deadline = Clock::now() + kRestoreLimit;
        MicroVmGuest guest;
        if (auto spare = m_pool.take(spareKey)) {
            guest = std::move(*spare);
        } else {
            MicroVmLaunch own = launch;
            own.name = "lambdesk-" + spec.id;
            own.consoleLog = spec.scratchDir / "console.log";
            auto prepared = m_snapshots.prepareRestore(own, function.snapshot, deadline);
            if (!prepared)
                return prepared.error();
            guest = std::move(*prepared);
        }
        if (guest.monitor) // a spare is restored already
            if (auto begun = MicroVmSnapshots::beginRestore(guest, deadline); !begun)
                return begun.error();
        auto afterInit = [this, spareKey, launch, snapshot = function.snapshot] {
            if (m_pool.enabled())
                refillPool(spareKey, launch, snapshot, std::nullopt);
        };
        return launchSandbox(std::move(guest), spec, resumeFields(), std::move(afterInit));
    }

    Result<std::unique_ptr<Sandbox>> launchSandbox(MicroVmGuest guest, const EnvironmentSpec &spec,
                                                   const proto::Fields &start, std::function<void()> afterInit)
    {
        auto apiDir = serveRuntimeApiOnUnixSocket(m_runDir / "api", spec);
        if (!apiDir)
            return apiDir.error();
        int output[2];
        if (::pipe2(output, O_CLOEXEC) != 0) {
            std::error_code ignored;
            fs::remove_all(*apiDir, ignored);
            return makeError(ErrorCode::ServiceError, "microvm: pipe failed");
        }
        ::fcntl(output[0], F_SETFL, O_NONBLOCK);
        ::fcntl(output[1], F_SETPIPE_SZ, 1024 * 1024);
        auto channel = std::make_unique<MicroVmChannel>(
            guest.releaseSerial(),
            MicroVmChannel::Target{(*apiDir / kRuntimeApiSocketName).string(), output[1]});
        if (afterInit)
            channel->onFirstConnection(std::move(afterInit));
        auto sandbox = std::make_unique<MicroVmSandbox>(std::move(guest), std::move(channel), output[0]);
        sandbox->removeOnExit(*apiDir);
        if (proto::field(start, "resume") == "1")
            sandbox->setRestoredAfterInit();
        sandbox->channel().sendStart(start);
        return std::unique_ptr<Sandbox>(std::move(sandbox));
    }

    // Everything the guest's state after init depends on: the runtime snapshot (kernel, image,
    // shape, zygote), the code, layers and bootstrap, and the Start fields except what differs
    // per environment (time, entropy, log stream name).
    std::string functionSnapshotKey(const MicroVmSnapshot &snapshot, const EnvironmentSpec &spec,
                                    const fs::path &runtimeDir, const proto::Fields &fields)
    {
        proto::Fields identity = fields;
        for (const char *perEnvironment : {"nonce", "time_ns", "entropy", "env:AWS_LAMBDA_LOG_STREAM_NAME"})
            identity.erase(perEnvironment);
        std::string text = snapshot.state.string() + "\n" + spec.codeDir.string() + "\n";
        for (const auto &layer : spec.layerDirs)
            text += layer.string() + "\n";
        text += contentHash(runtimeDir) + "\n" + proto::encodeFields(identity);
        return MicroVmSnapshots::hashKey(text);
    }

    // Of the bootstrap copy (its path differs per engine run, its content only per version).
    std::string contentHash(const fs::path &dir)
    {
        std::lock_guard lock(m_filesMutex);
        auto &hash = m_contentHashes[dir];
        if (hash.empty()) {
            std::vector<fs::path> files;
            std::error_code ec;
            for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec) && it->path().extension() != ".pyc") // derived, and stamped with the copy's mtime
                    files.push_back(it->path());
            std::sort(files.begin(), files.end());
            std::string all;
            for (const auto &file : files) {
                std::ifstream in(file, std::ios::binary);
                all += fs::relative(file, dir, ec).string() + '\0' +
                       std::string((std::istreambuf_iterator<char>(in)), {}) + '\0';
            }
            hash = MicroVmSnapshots::hashKey(all);
        }
        return hash;
    }

    // What every Start carries: its nonce, the wall clock and fresh entropy for the guest.
    static proto::Fields freshFields()
    {
        proto::Fields fields;
        fields.emplace("nonce", common::randomHex(8));
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        fields.emplace("time_ns", std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
        fields.emplace("entropy", common::randomBytes(64));
        return fields;
    }

    // A pooled guest runs restored until it is taken (a function snapshot's with its runtime held).
    // Its agent goes through a resume's work now (see FrameType::Warm), so that the Start finds
    // those code paths translated: from a function snapshot, a cold start is then the resume and
    // the /next relay alone. What the agent answers waits in the socket until the guest is taken.
    static void warmSpare(const MicroVmGuest &guest)
    {
        proto::Fields fields = freshFields();
        fields.erase("nonce");
        std::string wire(proto::kPreamble);
        proto::appendFrame(wire, proto::FrameType::Warm, 0, proto::encodeFields(fields));
        (void)::send(guest.serialFd, wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    }

    static proto::Fields resumeFields()
    {
        proto::Fields fields = freshFields();
        fields.emplace("resume", "1");
        return fields;
    }

    // Pool slots are named pool-<engine pid>-<n>; those of engines that are gone are garbage.
    void removeStalePoolSlots()
    {
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator(m_runDir, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("pool-", 0) != 0)
                continue;
            const auto owner = static_cast<pid_t>(std::strtol(name.c_str() + 5, nullptr, 10));
            if (owner > 0 && ::kill(owner, 0) != 0)
                fs::remove_all(entry.path(), ec);
        }
    }

    // Keeps one guest of this kind ready ahead, for the next cold start (a burst). With a
    // runtimeDir: a runtime snapshot's guest, restored and idle in its agent, whose task/ and opt/
    // exports point into an empty slot. Without: a function snapshot's QEMU, waiting for its
    // state (the guest must resume the moment it is restored).
    void refillPool(const std::string &key, MicroVmLaunch launch, const MicroVmSnapshot &snapshot,
                    const std::optional<fs::path> &runtimeDir)
    {
        m_pool.refill(key, [this, launch, snapshot, runtimeDir]() mutable -> Result<MicroVmGuest> {
            const fs::path slot = m_runDir / ("pool-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(m_poolSerial.fetch_add(1)));
            std::error_code ec;
            fs::create_directories(slot / "task", ec);
            fs::create_directories(slot / "opt", ec);
            launch.name = "lambdesk-pool";
            launch.consoleLog = slot / "console.log";
            if (runtimeDir)
                launch.exports = {{"task", slot / "task"}, {"opt", slot / "opt"}, {"runtime", *runtimeDir}};
            auto guest = m_snapshots.restore(launch, snapshot, Clock::now() + kRestoreLimit);
            if (!guest) {
                fs::remove_all(slot, ec);
                return guest.error();
            }
            guest->slotDir = slot;
            warmSpare(*guest);
            return guest;
        });
    }

    MicroVmLaunch baseLaunch(const MicroVmImage &image, const MicroVmShape &shape) const
    {
        MicroVmLaunch launch;
        launch.qemu = kQemu;
        launch.kernel = image.kernel;
        launch.rootfs = image.rootfs;
        launch.functionImage = m_placeholderDisk;
        launch.shape = shape;
        return launch;
    }

    // The runtime's command in the guest, as the process backend runs it: our bootstraps from a
    // private copy of the runtimes dir (exported at /var/runtime), Python's precompiled.
    struct GuestRuntime {
        std::vector<std::string> interpreter; // interpreter and its flags; empty for provided
        std::string script;                   // bootstrap path in the guest
        fs::path runtimeDir;                  // host dir exported at /var/runtime
    };

    Result<GuestRuntime> guestRuntime(const EnvironmentSpec &spec, const MicroVmImage &image)
    {
        std::error_code ec;
        GuestRuntime out{{}, {}, m_emptyDir};
        if (spec.runtime.kind == RuntimeKind::Provided) {
            if (fs::exists(spec.codeDir / "bootstrap", ec)) {
                out.script = "/var/task/bootstrap";
                return out;
            }
            for (const auto &layer : spec.layerDirs)
                if (fs::exists(layer / "bootstrap", ec))
                    out.script = "/opt/bootstrap";
            if (!out.script.empty())
                return out;
            return makeError(ErrorCode::InvalidParameter,
                             "Runtime.InvalidEntrypoint: Couldn't find valid bootstrap(s): "
                             "[/var/task/bootstrap /opt/bootstrap]");
        }
        if (!image.holdsInterpreter(spec.runtime.interpreter))
            return makeError(ErrorCode::Unsupported,
                             "the microVM guest image has no " + spec.runtime.interpreter.string() +
                                 "; rebuild it with " + MicroVmImage::buildScript().string());
        auto files = runtimeFiles();
        if (!files)
            return files.error();
        auto prepared = (*files)->prepareRuntime(spec.runtime);
        if (!prepared)
            return prepared.error();
        out.runtimeDir = prepared->hostDir;
        out.script = prepared->script;
        out.interpreter = {fs::canonical(spec.runtime.interpreter, ec).string()};
        if (spec.runtime.kind == RuntimeKind::Python) {
            // -S: no site module (Debian's .pth processing costs more than the interpreter's
            // start); -u: unbuffered output, as Lambda's runtime makes it.
            out.interpreter.insert(out.interpreter.end(), {"-S", "-u"});
        } else {
            // Lambda caps the old generation below the function's memory.
            out.interpreter.push_back("--max-old-space-size=" + std::to_string(std::max(32, spec.memoryMb * 9 / 10)));
        }
        return out;
    }

    Result<std::shared_ptr<procsandbox::SandboxFiles>> runtimeFiles()
    {
        std::lock_guard lock(m_filesMutex);
        if (!m_files) {
            auto files = procsandbox::SandboxFiles::create("microvm");
            if (!files)
                return files.error();
            m_files = *files;
        }
        return m_files;
    }

    // Python and Node snapshots hold a zygote: the interpreter started with the runtime's flags
    // and waiting for its Start (packaging/guest/zygote). Interpreter start-up is most of a cold
    // start under TCG.
    static void addZygote(MicroVmLaunch &launch, const EnvironmentSpec &spec, const GuestRuntime &runtime)
    {
        if (runtime.interpreter.empty())
            return;
        const char *script = spec.runtime.kind == RuntimeKind::Python ? "/usr/lib/lambdesk/zygote.py"
                                                                      : "/usr/lib/lambdesk/zygote.js";
        launch.flavor = fs::path(runtime.interpreter.front()).filename().string();
        for (const auto &arg : runtime.interpreter)
            launch.prepare.emplace("argv", arg);
        launch.prepare.emplace("argv", script);
        launch.prepare.insert({{"env:PATH", "/usr/local/bin:/usr/bin:/bin"}, {"env:LANG", "C.UTF-8"},
                               {"env:HOME", "/tmp"}, {"uid", kGuestUid}, {"gid", kGuestGid}});
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
        proto::Fields fields = freshFields();
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
    fs::path m_placeholderDisk;
    MicroVmSnapshots m_snapshots;
    MicroVmFunctionSnapshots m_functionSnapshots;
    std::atomic<unsigned> m_poolSerial{0};
    std::mutex m_probeMutex;
    bool m_probed = false;
    Availability m_availability;
    MicroVmImage m_image; // guarded by m_probeMutex
    std::string m_accel = "tcg"; // guarded by m_probeMutex
    std::mutex m_filesMutex;
    std::shared_ptr<procsandbox::SandboxFiles> m_files;
    std::map<fs::path, std::string> m_contentHashes; // guarded by m_filesMutex
    // Last: its worker uses the members above, so it must stop (be destroyed) first.
    MicroVmPool m_pool{poolSizeFromEnvironment(), 3, std::chrono::seconds(60)};
};

} // namespace

std::unique_ptr<SandboxBackend> makeMicroVmBackend(const fs::path &cacheDir)
{
    return std::make_unique<MicroVmBackend>(cacheDir);
}

} // namespace lambdesk::engine
