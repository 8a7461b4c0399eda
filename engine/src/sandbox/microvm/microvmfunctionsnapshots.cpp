#include "sandbox/microvm/microvmfunctionsnapshots.h"

#include "sandbox/microvm/microvmchannel.h"
#include "sandbox/microvm/microvmpool.h"
#include "sandbox/processsupervisor.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Under TCG: ~0.1 s restore, up to a few seconds of init, then the device state.
constexpr auto kCreateLimit = std::chrono::seconds(120);
constexpr const char *kPrefix = "fn-";
constexpr const char *kDiskDevice = "/dev/vdb";
constexpr const char *kDiskMountPoint = "/mnt";

// Copies only the allocated parts: guest RAM files are mostly holes.
Result<void> copySparse(const fs::path &from, const fs::path &to)
{
    procsandbox::UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    procsandbox::UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (in.get() < 0 || out.get() < 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot copy " + from.string() + ": " + std::strerror(errno));
    const off_t size = ::lseek(in.get(), 0, SEEK_END);
    off_t data = 0;
    while (data < size && (data = ::lseek(in.get(), data, SEEK_DATA)) >= 0) {
        const off_t hole = std::min<off_t>(::lseek(in.get(), data, SEEK_HOLE), size);
        loff_t src = data;
        loff_t dst = data;
        while (src < hole) {
            const ssize_t n = ::copy_file_range(in.get(), &src, out.get(), &dst,
                                                static_cast<std::size_t>(hole - src), 0);
            if (n <= 0)
                return makeError(ErrorCode::ServiceError,
                                 "cannot copy " + from.string() + ": " + std::strerror(errno));
        }
        data = hole;
    }
    if (::ftruncate(out.get(), size) != 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot size " + to.string() + ": " + std::strerror(errno));
    return {};
}

// An uncompressed squashfs of `stage`, sized like the placeholder disk every VM has.
Result<void> makeDisk(const fs::path &stage, const fs::path &image, const fs::path &log)
{
    procsandbox::UniqueFd logFd(
        ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    procsandbox::SpawnRequest request;
    // Uncompressed (the guest reads it under emulation, where decompressing costs more than I/O),
    // but naming lz4: the guest kernel refuses a superblock naming a compressor it lacks.
    request.argv = {"/usr/bin/mksquashfs",
                    stage.string(),
                    image.string(),
                    "-noappend",
                    "-no-xattrs",
                    "-all-root",
                    "-comp",
                    "lz4",
                    "-noI",
                    "-noD",
                    "-noF",
                    "-noX",
                    "-no-progress",
                    "-quiet"};
    request.environment = {"PATH=/usr/bin:/bin"};
    request.stdoutFd = logFd.get();
    request.stderrFd = logFd.get();
    auto pid = procsandbox::ProcessSupervisor::instance().spawn(request);
    if (!pid)
        return pid.error();
    const int status = procsandbox::waitForExit(*pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return makeError(ErrorCode::ServiceError,
                         "mksquashfs failed: " + MicroVmSnapshots::fileTail(log, 400));
    std::error_code ec;
    if (fs::file_size(image, ec) > kFunctionImageBytes)
        return makeError(ErrorCode::ServiceError,
                         "the function's files do not fit a snapshot disk");
    fs::resize_file(image, kFunctionImageBytes, ec);
    if (ec)
        return makeError(ErrorCode::ServiceError,
                         "cannot size " + image.string() + ": " + ec.message());
    return {};
}

} // namespace

MicroVmFunctionSnapshots::MicroVmFunctionSnapshots(fs::path dir,
                                                   const MicroVmSnapshots &runtimeSnapshots,
                                                   fs::path emptyDir, std::size_t keep)
    : m_dir(std::move(dir)), m_runtimeSnapshots(runtimeSnapshots), m_emptyDir(std::move(emptyDir)),
      m_keep(keep)
{
    if (m_keep > 0)
        m_worker = std::thread([this] { work(); });
}

MicroVmFunctionSnapshots::~MicroVmFunctionSnapshots()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_changed.notify_all();
    }
    if (m_worker.joinable())
        m_worker.join();
}

fs::path MicroVmFunctionSnapshots::dirFor(const std::string &key) const
{
    return m_dir / (kPrefix + key);
}

std::optional<MicroVmFunctionSnapshot> MicroVmFunctionSnapshots::find(const std::string &key)
{
    const fs::path dir = dirFor(key);
    std::error_code ec;
    if (m_keep == 0 || !fs::exists(dir / "state", ec))
        return std::nullopt;
    fs::last_write_time(dir, fs::file_time_type::clock::now(), ec); // recently used
    return MicroVmFunctionSnapshot{{dir / "ram", dir / "state", false}, dir / "disk"};
}

void MicroVmFunctionSnapshots::request(FunctionSnapshotRequest request)
{
    if (m_keep == 0)
        return;
    std::lock_guard lock(m_mutex);
    if (m_pending.count(request.key) || m_failed.count(request.key))
        return;
    m_pending.insert(request.key);
    m_queue.push_back(std::move(request));
    m_changed.notify_all();
}

void MicroVmFunctionSnapshots::forget(const std::string &key)
{
    {
        std::lock_guard lock(m_mutex);
        m_failed.insert(key);
    }
    std::error_code ec;
    fs::remove_all(dirFor(key), ec);
}

void MicroVmFunctionSnapshots::addDiskMounts(microvm::Fields &fields)
{
    fields.erase("mount");
    fields.emplace("image", std::string(kDiskDevice) + ":" + kDiskMountPoint);
    fields.emplace("bind", std::string(kDiskMountPoint) + "/task:/var/task");
    fields.emplace("bind", std::string(kDiskMountPoint) + "/opt:/opt");
    fields.emplace("bind", std::string(kDiskMountPoint) + "/runtime:/var/runtime");
}

void MicroVmFunctionSnapshots::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_stopping)
            return;
        FunctionSnapshotRequest request = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        std::error_code ec;
        Result<void> made;
        if (!fs::exists(dirFor(request.key) / "state", ec))
            made = create(request, Clock::now() + kCreateLimit);
        lock.lock();
        m_pending.erase(request.key);
        if (!made) {
            m_failed.insert(request.key);
            std::fprintf(stderr, "lambdesk: no function snapshot: %s\n",
                         made.error().message.c_str());
        }
    }
}

Result<void> MicroVmFunctionSnapshots::create(const FunctionSnapshotRequest &request,
                                              Clock::time_point deadline)
{
    std::error_code ec;
    const fs::path target = dirFor(request.key);
    const fs::path work = target.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(work, ec);
    fs::create_directories(work / "stage", ec);
    struct Cleanup {
        fs::path dir;
        ~Cleanup()
        {
            std::error_code ignored;
            fs::remove_all(dir, ignored);
        }
    } cleanup{work};

    for (const auto &[name, sources] : request.contents) {
        fs::create_directories(work / "stage" / name, ec);
        if (auto placed = MicroVmPool::populate(work / "stage" / name, sources); !placed)
            return placed.error();
    }
    if (auto disk = makeDisk(work / "stage", work / "disk", work / "mksquashfs.log"); !disk)
        return disk.error();
    fs::remove_all(work / "stage", ec);
    if (auto copied = copySparse(request.runtimeSnapshot.ram, work / "ram"); !copied)
        return copied.error();

    MicroVmLaunch launch = request.launch;
    launch.name = "lambdesk-snapstart";
    launch.consoleLog = work / "console.log";
    launch.functionImage = work / "disk";
    launch.exports.clear();
    for (const auto &tag : microVmExportTags())
        launch.exports.emplace_back(tag, m_emptyDir);
    auto guest = m_runtimeSnapshots.restore(
        launch, {work / "ram", request.runtimeSnapshot.state, false}, deadline, /*writable=*/true);
    if (!guest)
        return guest.error();
    MicroVmChannel channel(guest->releaseSerial(), {});
    channel.start();
    microvm::Fields start = request.start;
    addDiskMounts(start);
    start.emplace("hold", "1");
    channel.sendStart(start);
    if (!channel.waitPrepared(deadline))
        return makeError(
            ErrorCode::ServiceError,
            "the function's init did not reach its first Runtime API call" +
                (channel.isFinished() ? ": " + channel.finishReason() : std::string(" in time")));
    if (auto captured = MicroVmSnapshots::capture(*guest->monitor, work / "state", deadline);
        !captured)
        return captured.error();
    guest->process->kill();
    // Same "source" record as the runtime snapshots: MicroVmSnapshots::prune() drops this one too
    // when the guest image changes.
    std::ifstream source(request.runtimeSnapshot.state.parent_path() / "source");
    std::ofstream(work / "source") << source.rdbuf();
    for (const char *scratch : {"console.log", "qemu.log", "mksquashfs.log"})
        fs::remove(work / scratch, ec);
    fs::remove_all(target, ec);
    fs::rename(work, target, ec);
    if (ec)
        return makeError(ErrorCode::ServiceError,
                         "cannot store the function snapshot: " + ec.message());
    cleanup.dir.clear();
    removeLeastRecentlyUsed();
    return {};
}

void MicroVmFunctionSnapshots::removeLeastRecentlyUsed()
{
    std::vector<std::pair<fs::file_time_type, fs::path>> snapshots;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(m_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) == 0 && name.find(".tmp-") == std::string::npos)
            snapshots.emplace_back(fs::last_write_time(entry.path(), ec), entry.path());
    }
    if (snapshots.size() <= m_keep)
        return;
    std::sort(snapshots.begin(), snapshots.end());
    for (std::size_t i = 0; i + m_keep < snapshots.size(); ++i)
        fs::remove_all(snapshots[i].second, ec);
}

} // namespace lambdesk::engine
