#include "sandbox/microvm/microvmsnapshots.h"

#include "sandbox/microvm/microvmchannel.h"
#include "sandbox/microvm/microvmprocess.h"
#include "sandbox/microvm/microvmqmp.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/file.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Bumped whenever the agent/host protocol or the machine layout changes, so that old snapshots
// (whose guests run an older agent) are never restored by a newer engine.
constexpr const char *kLayoutVersion = "2";

} // namespace

std::string MicroVmSnapshots::hashKey(const std::string &text)
{
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 0x100000001b3ull;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
    return out;
}

namespace {

int millisLeft(Clock::time_point deadline)
{
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::max<std::int64_t>(left.count(), 0));
}

} // namespace

std::string MicroVmSnapshots::fileTail(const fs::path &file, std::size_t bytes)
{
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

namespace {

// Guest RAM stays out of the migration stream: it is the memory-backend-file itself.
nlohmann::json ignoreSharedCapability()
{
    return {{"capabilities",
             nlohmann::json::array({{{"capability", "x-ignore-shared"}, {"state", true}}})}};
}

std::string shellQuote(const std::string &text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

class FileLock {
public:
    explicit FileLock(const fs::path &path)
        : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600))
    {
        if (m_fd >= 0)
            ::flock(m_fd, LOCK_EX);
    }
    ~FileLock()
    {
        if (m_fd >= 0)
            ::close(m_fd); // releases the lock
    }
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;

private:
    int m_fd;
};

} // namespace

MicroVmSnapshots::MicroVmSnapshots(fs::path dir, fs::path runDir, fs::path emptyDir)
    : m_dir(std::move(dir)), m_runDir(std::move(runDir)), m_emptyDir(std::move(emptyDir))
{
}

std::string MicroVmSnapshots::keyFor(const MicroVmLaunch &base) const
{
    std::error_code ec;
    const auto qemuSize = fs::file_size(base.qemu, ec);
    const auto qemuTime = fs::last_write_time(base.qemu, ec).time_since_epoch().count();
    const std::string identity = std::string(kLayoutVersion) + "|" + base.kernel.string() + "|" +
                                 base.rootfs.string() + "|" + base.qemu.string() + "|" +
                                 std::to_string(qemuSize) + "|" + std::to_string(qemuTime) + "|" +
                                 base.flavor + "|" + microvm::encodeFields(base.prepare);
    const auto &shape = base.shape;
    return base.flavor + "-" + shape.accel + "-" + std::to_string(shape.memoryMb) + "m-" +
           std::to_string(shape.vcpus) + "c-" + (shape.network ? "net" : "nonet") + "-" +
           hashKey(identity);
}

Result<MicroVmSnapshot> MicroVmSnapshots::ensure(const MicroVmLaunch &base,
                                                 Clock::time_point deadline)
{
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    const std::string key = keyFor(base);
    const fs::path target = m_dir / key;
    MicroVmSnapshot snapshot{target / "ram", target / "state", false};
    if (fs::exists(snapshot.state, ec))
        return snapshot;
    FileLock lock(m_dir / (key + ".lock"));
    if (fs::exists(snapshot.state, ec))
        return snapshot; // another thread or engine made it while we waited
    auto made = create(base, target, deadline);
    if (!made)
        return made.error();
    snapshot.created = true;
    return snapshot;
}

Result<void> MicroVmSnapshots::create(const MicroVmLaunch &base, const fs::path &target,
                                      Clock::time_point deadline)
{
    std::error_code ec;
    const fs::path work = target.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(work, ec);
    fs::create_directories(work, ec);
    fs::create_directories(m_emptyDir, ec);
    int serial[2];
    int qmp[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, serial) != 0)
        return makeError(ErrorCode::ServiceError, "socketpair failed");
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, qmp) != 0) {
        ::close(serial[0]);
        ::close(serial[1]);
        return makeError(ErrorCode::ServiceError, "socketpair failed");
    }
    MicroVmChannel channel(serial[0], {});
    MicroVmQmp monitor(qmp[0]);

    MicroVmLaunch launch = base;
    launch.name = "lambdesk-snapshot";
    launch.ramFile = work / "ram";
    launch.shareRam = true;
    launch.incomingState.clear();
    launch.consoleLog = work / "console.log";
    launch.exports.clear();
    for (const auto &tag : microVmExportTags())
        launch.exports.emplace_back(tag, m_emptyDir);
    launch.serialFd = 3;
    launch.qmpFd = 4;
    auto process = MicroVmProcess::spawn(qemuArguments(launch), {serial[1], qmp[1]},
                                         work / "qemu.log", m_runDir, launch.shape.network);
    ::close(serial[1]);
    ::close(qmp[1]);
    if (!process)
        return process.error();
    channel.start();

    auto failure = [&](std::string what) -> Result<void> {
        (*process)->kill();
        // QEMU's own last word first (e.g. "KVM internal error"), then the guest console.
        const std::string qemuLog = fileTail(work / "qemu.log", 2000);
        if (const auto first = qemuLog.find_first_not_of('\n');
            what == "QEMU stopped" && first != std::string::npos)
            what += ": " + qemuLog.substr(first, qemuLog.find('\n', first) - first);
        const std::string detail = qemuLog + fileTail(launch.consoleLog, 800);
        fs::remove_all(work, ec);
        return makeError(ErrorCode::ServiceError, "microVM snapshot boot failed: " + what +
                                                      (detail.empty() ? "" : "\n" + detail));
    };
    if (!channel.waitReady(deadline))
        return failure(channel.isFinished() || (*process)->waitExit(0)
                           ? "QEMU stopped"
                           : "the guest agent did not report ready in time");
    if (!launch.prepare.empty()) {
        channel.sendPrepare(launch.prepare);
        if (!channel.waitPrepared(deadline))
            return failure("the " + launch.flavor + " zygote did not get ready" +
                           (channel.isFinished() ? ": " + channel.finishReason() : " in time"));
    }
    if (auto ok = monitor.handshake(millisLeft(deadline)); !ok)
        return failure(ok.error().message);
    if (auto ok = capture(monitor, work / "state", deadline); !ok)
        return failure(ok.error().message);
    (*process)->kill();
    std::ofstream(work / "source") << launch.kernel.string() << '\n'
                                   << launch.rootfs.string() << '\n';
    fs::remove(work / "console.log", ec);
    fs::remove(work / "qemu.log", ec);
    fs::remove_all(target, ec);
    fs::rename(work, target, ec);
    if (ec)
        return makeError(ErrorCode::ServiceError,
                         "cannot store the microVM snapshot: " + ec.message());
    return {};
}

Result<void> MicroVmSnapshots::capture(MicroVmQmp &monitor, const fs::path &state,
                                       Clock::time_point deadline)
{
    if (auto ok = monitor.execute("migrate-set-capabilities", ignoreSharedCapability(),
                                  millisLeft(deadline));
        !ok)
        return ok.error();
    // The guest keeps running while its device state is written; migration then stops it, so the
    // snapshot restores running (a VM stopped before migrating restores paused).
    const std::string uri = "exec:cat > " + shellQuote(state.string());
    if (auto ok = monitor.execute("migrate", {{"uri", uri}}, millisLeft(deadline)); !ok)
        return ok.error();
    for (;;) {
        auto status = monitor.execute("query-migrate", {}, millisLeft(deadline));
        if (!status)
            return status.error();
        const std::string phase = status->value("status", "");
        if (phase == "completed")
            return {};
        if (phase == "failed" || phase == "cancelled")
            return makeError(ErrorCode::ServiceError,
                             "migration " + phase + ": " + status->value("error-desc", ""));
        if (millisLeft(deadline) == 0)
            return makeError(ErrorCode::ServiceError, "migration did not finish in time");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

Result<MicroVmGuest> MicroVmSnapshots::restore(MicroVmLaunch launch,
                                               const MicroVmSnapshot &snapshot,
                                               Clock::time_point deadline, bool writable) const
{
    auto guest = prepareRestore(std::move(launch), snapshot, deadline, writable);
    if (!guest)
        return guest.error();
    if (auto begun = beginRestore(*guest, deadline, writable); !begun)
        return begun.error();
    return guest;
}

Result<void> MicroVmSnapshots::beginRestore(MicroVmGuest &guest, Clock::time_point deadline,
                                            bool keepMonitor)
{
    if (!guest.monitor)
        return makeError(ErrorCode::ServiceError, "microvm: the guest's restore has begun already");
    if (auto ok =
            guest.monitor->execute("migrate-incoming", {{"uri", "fd:5"}}, millisLeft(deadline));
        !ok)
        return makeError(ErrorCode::ServiceError,
                         "microvm: restoring the snapshot failed: " + ok.error().message);
    if (!keepMonitor)
        guest.monitor.reset();
    return {};
}

Result<MicroVmGuest> MicroVmSnapshots::prepareRestore(MicroVmLaunch launch,
                                                      const MicroVmSnapshot &snapshot,
                                                      Clock::time_point deadline,
                                                      bool writable) const
{
    launch.ramFile = snapshot.ram;
    launch.shareRam = writable; // else copy-on-write: one snapshot, many guests
    launch.incomingState = snapshot.state;
    launch.serialFd = 3;
    launch.qmpFd = 4;
    int serial[2];
    int qmp[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, serial) != 0)
        return makeError(ErrorCode::ServiceError, "microvm: socketpair failed");
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, qmp) != 0) {
        ::close(serial[0]);
        ::close(serial[1]);
        return makeError(ErrorCode::ServiceError, "microvm: socketpair failed");
    }
    MicroVmGuest guest;
    guest.serialFd = serial[0];
    guest.qemuLog = launch.consoleLog.parent_path() / "qemu.log";
    guest.monitor = std::make_unique<MicroVmQmp>(qmp[0]);
    MicroVmQmp &monitor = *guest.monitor;
    // The device state reaches QEMU as its descriptor 5: an "exec:cat" would start a shell first.
    const int state = ::open(snapshot.state.c_str(), O_RDONLY | O_CLOEXEC);
    if (state < 0) {
        ::close(serial[1]);
        ::close(qmp[1]);
        return makeError(ErrorCode::ServiceError,
                         "microvm: cannot open " + snapshot.state.string());
    }
    auto process = MicroVmProcess::spawn(qemuArguments(launch), {serial[1], qmp[1], state},
                                         guest.qemuLog, m_runDir, launch.shape.network);
    ::close(serial[1]);
    ::close(qmp[1]);
    ::close(state);
    if (!process)
        return process.error();
    guest.process = std::move(*process);
    auto fail = [&](const Error &error) {
        return makeError(ErrorCode::ServiceError,
                         "microvm: restoring the snapshot failed: " + error.message);
    };
    if (auto ok = monitor.handshake(millisLeft(deadline)); !ok)
        return fail(ok.error());
    if (auto ok = monitor.execute("migrate-set-capabilities", ignoreSharedCapability(),
                                  millisLeft(deadline));
        !ok)
        return fail(ok.error());
    return guest;
}

void MicroVmSnapshots::prune(const fs::path &kernel, const fs::path &rootfs)
{
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(m_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory())
            continue;
        if (const auto tmp = name.find(".tmp-"); tmp != std::string::npos) {
            // Half-made by an engine that died mid-snapshot (a live one still holds the lock).
            const pid_t maker = static_cast<pid_t>(std::atoi(name.c_str() + tmp + 5));
            if (maker > 0 && ::kill(maker, 0) != 0)
                fs::remove_all(entry.path(), ec);
            continue;
        }
        std::ifstream in(entry.path() / "source");
        std::string k;
        std::string r;
        std::getline(in, k);
        std::getline(in, r);
        if (k != kernel.string() || r != rootfs.string()) {
            FileLock lock(m_dir / (entry.path().filename().string() + ".lock"));
            fs::remove_all(entry.path(), ec);
        }
    }
    // Lock files of snapshots that are gone, unless somebody is making one right now.
    for (const auto &entry : fs::directory_iterator(m_dir, ec)) {
        const fs::path &lockFile = entry.path();
        if (lockFile.extension() != ".lock" || fs::exists(m_dir / lockFile.stem(), ec))
            continue;
        const int fd = ::open(lockFile.c_str(), O_RDWR | O_CLOEXEC);
        if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
            fs::remove(lockFile, ec);
        if (fd >= 0)
            ::close(fd);
    }
}

} // namespace lambdesk::engine
