// The microvm backend's life cycle: probing, the three paths of a start (microvmbackend.h), and
// the pool of guests restored ahead. How a guest is launched and started is in
// microvmguestlaunch.cpp.

#include "sandbox/microvm/microvmbackend.h"

#include "common/random.h"
#include "sandbox/microvm/microvmfunctionsnapshots.h"
#include "sandbox/microvm/microvmimage.h"
#include "sandbox/microvm/microvmmachine.h"
#include "sandbox/microvm/microvmpool.h"
#include "sandbox/microvm/microvmsandbox.h"
#include "sandbox/microvm/microvmsnapshots.h"
#include "sandbox/runtimeapisocket.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxlayout.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
namespace proto = microvm;

namespace {

constexpr auto kKvmProbeLimit = std::chrono::seconds(20);
constexpr auto kSnapshotLimit = std::chrono::seconds(180);
constexpr auto kRestoreLimit = std::chrono::seconds(30);

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

} // namespace

MicroVmBackend::MicroVmBackend(fs::path cacheDir)
    : m_cacheDir(std::move(cacheDir)), m_runDir(m_cacheDir / "run" / "microvm"),
      m_emptyDir(m_cacheDir / "guest" / "empty"),
      m_placeholderDisk(m_cacheDir / "guest" / "empty.disk"),
      m_snapshots(m_cacheDir / "snapshots", m_runDir, m_emptyDir),
      m_functionSnapshots(m_cacheDir / "snapshots", m_snapshots, m_emptyDir,
                          functionSnapshotsFromEnvironment()),
      m_pool(poolSizeFromEnvironment(), 3, std::chrono::seconds(60))
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

Availability MicroVmBackend::probe()
{
    std::lock_guard lock(m_probeMutex);
    if (m_probed)
        return m_availability;
    m_probed = true;
    m_availability = {"microvm", false, ""};
    std::error_code ec;
    if (!fs::exists(kQemuBinary, ec)) {
        m_availability.detail =
            "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)";
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
        auto kvm = m_snapshots.ensure(baseLaunch(m_image, {128, 1, false, "kvm"}),
                                      Clock::now() + kKvmProbeLimit);
        if (kvm) {
            m_accel = "kvm";
            m_availability.available = true;
            m_availability.detail = "kvm: QEMU microvm with KVM";
            return m_availability;
        }
        kvmFailure = "KVM probe boot failed: " + firstLine(kvm.error().message);
    }
    auto tcg = m_snapshots.ensure(baseLaunch(m_image, {128, 1, false, "tcg"}),
                                  Clock::now() + kSnapshotLimit);
    if (!tcg) {
        m_availability.detail = "the probe boot failed: " + tcg.error().message;
        return m_availability;
    }
    m_accel = "tcg";
    m_availability.available = true;
    m_availability.detail = "tcg: QEMU microvm under TCG emulation (" + kvmFailure + ")";
    return m_availability;
}

void MicroVmBackend::forgetProbe()
{
    std::lock_guard lock(m_probeMutex);
    m_probed = false;
}

Result<std::unique_ptr<Sandbox>> MicroVmBackend::start(const EnvironmentSpec &spec)
{
    auto plan = planStart(spec);
    if (!plan)
        return plan.error();
    if (!plan->functionKey.empty())
        if (auto resumed = startFromFunctionSnapshot(*plan, spec))
            return std::move(*resumed);
    return startFromRuntimeSnapshot(std::move(*plan), spec);
}

Result<MicroVmBackend::StartPlan> MicroVmBackend::planStart(const EnvironmentSpec &spec)
{
    const Availability availability = probe();
    if (!availability.available)
        return makeError(ErrorCode::Unsupported,
                         "microvm sandbox unavailable: " + availability.detail);
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
    StartPlan plan;
    plan.launch = baseLaunch(image, shape);
    addZygote(plan.launch, spec, *runtime);
    auto snapshot = m_snapshots.ensure(plan.launch, Clock::now() + kSnapshotLimit);
    if (!snapshot)
        return snapshot.error();
    plan.snapshot = *snapshot;
    std::vector<std::string> command = runtime->interpreter;
    command.push_back(runtime->script);
    plan.fields = startFields(spec, command);
    if (spec.snapStart)
        plan.functionKey =
            functionSnapshotKey(plan.snapshot, spec, runtime->runtimeDir, plan.fields);
    plan.runtime = std::move(*runtime);
    return plan;
}

std::optional<std::unique_ptr<Sandbox>>
MicroVmBackend::startFromFunctionSnapshot(const StartPlan &plan, const EnvironmentSpec &spec)
{
    const auto function = m_functionSnapshots.find(plan.functionKey);
    if (!function)
        return std::nullopt;
    auto resumed = resumeFunction(plan.launch, spec, *function);
    if (resumed)
        return std::move(*resumed);
    std::fprintf(stderr, "lambdesk: function snapshot dropped: %s\n",
                 resumed.error().message.c_str());
    m_functionSnapshots.forget(plan.functionKey);
    return std::nullopt;
}

Result<std::unique_ptr<Sandbox>>
MicroVmBackend::startFromRuntimeSnapshot(StartPlan plan, const EnvironmentSpec &spec)
{
    // A pooled guest of this snapshot and runtime skips QEMU's start and the restore; its
    // exports point into a slot that gets the function's files now.
    const std::string poolKey =
        plan.snapshot.state.string() + "|" + plan.runtime.runtimeDir.string();
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
        plan.launch.name = "lambdesk-" + spec.id;
        plan.launch.consoleLog = spec.scratchDir / "console.log";
        plan.launch.exports = {
            {"task", spec.codeDir}, {"opt", *optDir}, {"runtime", plan.runtime.runtimeDir}};
        auto restored =
            m_snapshots.restore(plan.launch, plan.snapshot, Clock::now() + kRestoreLimit);
        if (!restored)
            return restored.error();
        guest = std::move(*restored);
    }
    // Once this guest's init is done (under TCG both compete for the same cores): restore
    // the next pooled guest, and make this function's snapshot for its later cold starts.
    FunctionSnapshotRequest request{
        plan.functionKey,
        plan.launch,
        plan.snapshot,
        {{"task", {spec.codeDir}}, {"opt", spec.layerDirs}, {"runtime", {plan.runtime.runtimeDir}}},
        plan.fields};
    const bool snapStart = spec.snapStart;
    auto afterInit = [this, poolKey, launch = plan.launch, snapshot = plan.snapshot,
                      dir = plan.runtime.runtimeDir, request = std::move(request),
                      snapStart]() mutable {
        if (m_pool.enabled())
            refillPool(poolKey, launch, snapshot, dir);
        if (snapStart)
            m_functionSnapshots.request(std::move(request));
    };
    return launchSandbox(std::move(guest), spec, plan.fields, std::move(afterInit));
}

// A QEMU for a function snapshot waits ready in the pool (a spare), so that a cold start is
// the restore itself: state load, resume, and the held /next going out.
Result<std::unique_ptr<Sandbox>>
MicroVmBackend::resumeFunction(MicroVmLaunch launch, const EnvironmentSpec &spec,
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

Result<std::unique_ptr<Sandbox>> MicroVmBackend::launchSandbox(MicroVmGuest guest,
                                                               const EnvironmentSpec &spec,
                                                               const proto::Fields &start,
                                                               std::function<void()> afterInit)
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
    auto sandbox =
        std::make_unique<MicroVmSandbox>(std::move(guest), std::move(channel), output[0]);
    sandbox->removeOnExit(*apiDir);
    {
        std::lock_guard lock(m_probeMutex);
        sandbox->setEmulated(m_accel == "tcg");
    }
    if (proto::field(start, "resume") == "1")
        sandbox->setRestoredAfterInit();
    sandbox->channel().sendStart(start);
    return std::unique_ptr<Sandbox>(std::move(sandbox));
}

// A pooled guest runs restored until it is taken (a function snapshot's with its runtime held).
// Its agent goes through a resume's work now (see FrameType::Warm), so that the Start finds
// those code paths translated: from a function snapshot, a cold start is then the resume and
// the /next relay alone. What the agent answers waits in the socket until the guest is taken.
void MicroVmBackend::warmSpare(const MicroVmGuest &guest)
{
    proto::Fields fields = freshFields();
    fields.erase("nonce");
    std::string wire(proto::kPreamble);
    proto::appendFrame(wire, proto::FrameType::Warm, 0, proto::encodeFields(fields));
    (void)::send(guest.serialFd, wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Pool slots are named pool-<engine pid>-<n>; those of engines that are gone are garbage.
void MicroVmBackend::removeStalePoolSlots()
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
void MicroVmBackend::refillPool(const std::string &key, MicroVmLaunch launch,
                                const MicroVmSnapshot &snapshot,
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
            launch.exports = {
                {"task", slot / "task"}, {"opt", slot / "opt"}, {"runtime", *runtimeDir}};
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

std::unique_ptr<SandboxBackend> makeMicroVmBackend(const fs::path &cacheDir)
{
    return std::make_unique<MicroVmBackend>(cacheDir);
}

} // namespace lambdesk::engine
