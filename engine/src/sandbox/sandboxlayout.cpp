#include "sandbox/sandboxlayout.h"

#include "sandbox/runtimecatalog.h"

#include "sandbox/processsupervisor.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <system_error>

namespace lambdesk::engine::procsandbox {
namespace fs = std::filesystem;
namespace {

// Host files bound live over placeholders in the generated /etc (they can change while the
// engine runs: resolver, library cache, certificates).
constexpr const char *kLiveEtcFiles[] = {"ld.so.cache", "resolv.conf", "ssl/openssl.cnf"};
constexpr const char *kLiveEtcDirs[] = {"ssl/certs", "alternatives"};

// The host /etc directories a sandbox sees live: the fixed ones, and each JDK's configuration
// (/etc/java-17-openjdk: java.security and more, linked from /usr/lib/jvm/.../conf).
std::vector<std::string> liveEtcDirs()
{
    std::vector<std::string> dirs(std::begin(kLiveEtcDirs), std::end(kLiveEtcDirs));
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator("/etc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("java-", 0) == 0 && entry.is_directory(ec))
            dirs.push_back(name);
    }
    return dirs;
}
// Host directories at the top of / that the merged-usr layout turns into symlinks.
constexpr const char *kUsrLinks[] = {"bin", "lib", "lib32", "lib64", "libx32", "sbin"};
constexpr int kMaxLayerMounts = 256;

bool writeFile(const fs::path &path, const std::string &content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    return static_cast<bool>(out);
}

std::string temporaryBase()
{
    if (const char *runtime = std::getenv("XDG_RUNTIME_DIR"); runtime && *runtime && ::access(runtime, W_OK) == 0)
        return runtime;
    return fs::temp_directory_path().string();
}

Result<void> populate(const fs::path &dir)
{
    std::error_code ec;
    const fs::path etc = dir / "etc";
    fs::create_directories(etc / "ssl", ec);
    if (ec)
        return makeError(ErrorCode::ServiceError, "cannot create " + etc.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec, ec);
    bool ok = writeFile(etc / "passwd",
                        "root:x:0:0:root:/root:/sbin/nologin\n"
                        "sbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n"
                        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
              && writeFile(etc / "group", "root:x:0:\nsbx_user1051:x:990:\nnogroup:x:65534:\n")
              && writeFile(etc / "hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
              && writeFile(etc / "hostname", "localhost\n")
              && writeFile(etc / "nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
                                                  "networks: files\nprotocols: files\nservices: files\n");
    if (!ok)
        return makeError(ErrorCode::ServiceError, "cannot write the sandbox /etc in " + etc.string());
    // Lambda runs in UTC.
    fs::create_symlink(fs::exists("/usr/share/zoneinfo/Etc/UTC") ? "/usr/share/zoneinfo/Etc/UTC"
                                                                 : "/usr/share/zoneinfo/UTC",
                       etc / "localtime", ec);
    fs::create_symlink("../usr/lib/os-release", etc / "os-release", ec);
    for (const char *name : {"protocols", "services", "mime.types"})
        if (fs::is_regular_file(fs::path("/etc") / name))
            fs::copy_file(fs::path("/etc") / name, etc / name, ec);
    for (const char *name : kLiveEtcFiles)
        if (fs::exists(fs::path("/etc") / name))
            writeFile(etc / name, "");
    for (const std::string &name : liveEtcDirs())
        if (fs::is_directory(fs::path("/etc") / name))
            fs::create_directories(etc / name, ec);

    // Root skeleton for backends that need every mount point to exist beforehand (gVisor).
    const fs::path root = dir / "root";
    for (const char *sub : {"usr", "etc", "proc", "dev", "tmp", "opt", "var/task", "var/runtime", "var/lambdesk/bin",
                            "var/lambdesk/api"})
        fs::create_directories(root / sub, ec);
    for (const char *name : kUsrLinks) {
        const fs::path host = fs::path("/") / name;
        if (fs::is_symlink(host))
            fs::create_symlink(fs::read_symlink(host, ec), root / name, ec);
        else if (fs::is_directory(host))
            fs::create_directories(root / name, ec);
    }
    if (ec)
        return makeError(ErrorCode::ServiceError, "cannot prepare " + root.string() + ": " + ec.message());
    return {};
}

Result<std::vector<std::string>> runtimeCommand(const EnvironmentSpec &spec, const std::string &script)
{
    if (spec.runtime.kind != RuntimeKind::Provided) {
        std::vector<std::string> command{spec.runtime.interpreter.string()};
        for (std::string &option : interpreterOptions(spec.runtime, spec.memoryMb))
            command.push_back(std::move(option));
        command.push_back(script);
        return command;
    }
    if (fs::exists(spec.codeDir / "bootstrap"))
        return std::vector<std::string>{"/var/task/bootstrap"};
    for (auto it = spec.layerDirs.rbegin(); it != spec.layerDirs.rend(); ++it)
        if (fs::exists(*it / "bootstrap"))
            return std::vector<std::string>{"/opt/bootstrap"};
    return makeError(ErrorCode::InvalidParameter,
                     "Runtime.InvalidEntrypoint: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
}

Result<void> mergeInto(const std::vector<fs::path> &sources, const std::string &destination,
                       std::vector<MountEntry> &out)
{
    if (out.size() > kMaxLayerMounts)
        return makeError(ErrorCode::InvalidParameter, "layers overlap in too many files to be merged at /opt");
    if (sources.size() == 1) {
        out.push_back({MountEntry::Kind::Bind, sources.front().string(), destination, 0});
        return {};
    }
    out.push_back({MountEntry::Kind::Dir, {}, destination, 0});
    // name -> contributions in layer order
    std::map<std::string, std::vector<fs::directory_entry>> names;
    for (const auto &source : sources) {
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator(source, ec))
            names[entry.path().filename().string()].push_back(entry);
    }
    for (const auto &[name, entries] : names) {
        const std::string target = destination + "/" + name;
        const auto &last = entries.back();
        if (last.is_symlink()) {
            std::error_code ec;
            out.push_back({MountEntry::Kind::Symlink, fs::read_symlink(last.path(), ec).string(), target, 0});
        } else if (!last.is_directory()) {
            out.push_back({MountEntry::Kind::Bind, last.path().string(), target, 0});
        } else {
            // Directories after the last non-directory merge; a file earlier is shadowed.
            std::vector<fs::path> dirs;
            for (const auto &entry : entries) {
                if (entry.is_directory() && !entry.is_symlink())
                    dirs.push_back(entry.path());
                else
                    dirs.clear();
            }
            if (auto merged = mergeInto(dirs, target, out); !merged)
                return merged;
        }
    }
    return {};
}

// Directories of engines that were killed before they could clean up: named after their pid.
void removeStaleDirectories(const fs::path &base, const std::string &prefix)
{
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(base, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0 || !entry.is_directory(ec) || entry.is_symlink(ec))
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        struct stat info {};
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH
            && ::lstat(entry.path().c_str(), &info) == 0 && info.st_uid == ::geteuid())
            fs::remove_all(entry.path(), ec);
    }
}

} // namespace

Result<std::shared_ptr<SandboxFiles>> SandboxFiles::create(const std::string &prefix)
{
    const std::string base = temporaryBase();
    removeStaleDirectories(base, "lambdesk-" + prefix + "-");
    std::string pattern = base + "/lambdesk-" + prefix + "-" + std::to_string(::getpid()) + "-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        return makeError(ErrorCode::ServiceError, "cannot create a directory like " + pattern);
    std::shared_ptr<SandboxFiles> files(new SandboxFiles(pattern));
    if (auto populated = populate(files->dir()); !populated)
        return populated.error();
    return files;
}

Result<std::shared_ptr<SandboxFiles>> SharedSandboxFiles::get()
{
    std::lock_guard lock(m_mutex);
    if (!m_files) {
        auto files = SandboxFiles::create(m_prefix);
        if (!files)
            return files.error();
        m_files = *files;
        std::error_code ec; // best effort: whatever uses a missing subdirectory reports it
        for (const std::string &subdir : m_subdirs)
            fs::create_directories(m_files->dir() / subdir, ec);
    }
    return m_files;
}

SandboxFiles::~SandboxFiles()
{
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

Result<SandboxFiles::PreparedRuntime> SandboxFiles::prepareRuntime(const RuntimeInfo &runtime)
{
    // bootstrap = <runtimes>/<language>/bootstrap.*: the runtimes dir is two levels up.
    const fs::path source = runtime.bootstrap.parent_path().parent_path();
    const std::string language = runtime.bootstrap.parent_path().filename().string();
    const std::string sourceScript = "/var/runtime/" + language + "/" + runtime.bootstrap.filename().string();
    std::lock_guard lock(m_mutex);
    auto &copy = m_runtimeCopies[source];
    if (copy.empty()) {
        const fs::path target = m_dir / ("runtime" + std::to_string(m_runtimeCopies.size()));
        std::error_code ec;
        fs::copy(source, target, fs::copy_options::recursive, ec);
        if (ec) {
            m_runtimeCopies.erase(source);
            return makeError(ErrorCode::ServiceError, "cannot copy the runtimes from " + source.string() + ": " + ec.message());
        }
        copy = target;
    }
    PreparedRuntime prepared{copy, sourceScript};
    if (runtime.kind != RuntimeKind::Python)
        return prepared;

    const std::string key = copy.string() + "\n" + runtime.interpreter.string();
    if (auto it = m_compiled.find(key); it != m_compiled.end()) {
        prepared.script = it->second;
        return prepared;
    }
    // Compile with the target interpreter itself (the bytecode format is per version), naming
    // the source file as the sandbox sees it so that tracebacks show /var/runtime paths.
    const std::string name = "bootstrap." + runtime.interpreter.filename().string() + ".pyc";
    const fs::path output = copy / language / name;
    SpawnRequest request;
    request.argv = {runtime.interpreter.string(), "-S", "-c",
                    "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], dfile=sys.argv[3], "
                    "doraise=True)",
                    (copy / language / runtime.bootstrap.filename()).string(), output.string(), sourceScript};
    request.environment = {"PATH=/usr/bin:/bin"};
    int status = -1;
    if (auto pid = ProcessSupervisor::instance().spawn(request))
        status = waitForExit(*pid);
    // Without bytecode the source still works, only slower.
    m_compiled[key] = (status == 0 && fs::exists(output)) ? "/var/runtime/" + language + "/" + name : sourceScript;
    prepared.script = m_compiled[key];
    return prepared;
}

namespace {

// Installed beside the engine's binary (bin/ or libexec/lambdesk/), else the build tree's.
fs::path findSandboxInit()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const fs::path &candidate : {exe.parent_path() / "lambdesk-sandbox-init",
                                          exe.parent_path().parent_path() / "libexec" / "lambdesk" / "lambdesk-sandbox-init"})
            if (::access(candidate.c_str(), X_OK) == 0)
                return candidate;
    }
    return LAMBDESK_SANDBOX_INIT_BUILD_PATH;
}

} // namespace

Result<fs::path> SandboxFiles::prepareSandboxInit()
{
    std::lock_guard lock(m_mutex);
    if (!m_initDir.empty())
        return m_initDir;
    const fs::path source = findSandboxInit();
    const fs::path dir = m_dir / "init";
    std::error_code ec;
    fs::create_directories(dir, ec);
    fs::copy_file(source, dir / "lambdesk-sandbox-init", fs::copy_options::overwrite_existing, ec);
    if (ec)
        return makeError(ErrorCode::ServiceError, "cannot prepare lambdesk-sandbox-init from " + source.string() + ": "
                                                      + ec.message());
    m_initDir = dir;
    return m_initDir;
}

Result<void> startThroughSandboxInit(SandboxLayout &layout, SandboxFiles &files,
                                     const std::vector<std::string> &modeArgs)
{
    auto dir = files.prepareSandboxInit();
    if (!dir)
        return dir.error();
    layout.mounts.push_back({MountEntry::Kind::Bind, dir->string(), kSandboxInitDir, 0});
    std::vector<std::string> command{kSandboxInit};
    command.insert(command.end(), modeArgs.begin(), modeArgs.end());
    command.emplace_back("--");
    command.insert(command.end(), layout.command.begin(), layout.command.end());
    layout.command = std::move(command);
    // The runtime finds its API where Lambda puts it, inside its own network.
    for (auto &entry : layout.environment)
        if (entry.rfind("AWS_LAMBDA_RUNTIME_API=", 0) == 0)
            entry = "AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(kSandboxRuntimeApiPort);
    return {};
}

Result<std::vector<MountEntry>> mergeLayerMounts(const std::vector<fs::path> &layers, const std::string &destination)
{
    std::vector<MountEntry> out;
    std::vector<fs::path> existing;
    for (const auto &layer : layers)
        if (fs::is_directory(layer))
            existing.push_back(layer);
    if (existing.empty()) {
        out.push_back({MountEntry::Kind::Dir, {}, destination, 0});
        return out;
    }
    if (auto merged = mergeInto(existing, destination, out); !merged)
        return merged.error();
    return out;
}

Result<SandboxLayout> makeSandboxLayout(const EnvironmentSpec &spec, SandboxFiles &files)
{
    if (spec.runtime.kind != RuntimeKind::Provided && spec.runtime.interpreter.string().rfind("/usr/", 0) != 0)
        return makeError(ErrorCode::Unsupported, "interpreter " + spec.runtime.interpreter.string()
                                                     + " is outside /usr, the only host directory sandboxes see");
    SandboxFiles::PreparedRuntime runtime;
    if (!spec.runtime.bootstrap.empty()) {
        auto prepared = files.prepareRuntime(spec.runtime);
        if (!prepared)
            return prepared.error();
        runtime = std::move(*prepared);
    }
    auto command = runtimeCommand(spec, runtime.script);
    if (!command)
        return command.error();
    SandboxLayout layout;
    layout.command = std::move(*command);

    using Kind = MountEntry::Kind;
    auto &m = layout.mounts;
    m.push_back({Kind::Bind, "/usr", "/usr", 0});
    for (const char *name : kUsrLinks) {
        const fs::path host = fs::path("/") / name;
        std::error_code ec;
        if (fs::is_symlink(host))
            m.push_back({Kind::Symlink, fs::read_symlink(host, ec).string(), host.string(), 0});
        else if (fs::is_directory(host))
            m.push_back({Kind::Bind, host.string(), host.string(), 0});
    }
    m.push_back({Kind::Bind, files.etcDir().string(), "/etc", 0});
    for (const char *name : kLiveEtcFiles)
        if (fs::exists(files.etcDir() / name) && fs::exists(fs::path("/etc") / name))
            m.push_back({Kind::Bind, "/etc/" + std::string(name), "/etc/" + std::string(name), 0});
    for (const std::string &name : liveEtcDirs())
        if (fs::is_directory(files.etcDir() / name) && fs::is_directory(fs::path("/etc") / name))
            m.push_back({Kind::Bind, "/etc/" + name, "/etc/" + name, 0});
    m.push_back({Kind::Proc, {}, "/proc", 0});
    m.push_back({Kind::Dev, {}, "/dev", 0});
    m.push_back({Kind::Tmpfs, {}, "/tmp", static_cast<std::uint64_t>(std::max(1, spec.ephemeralStorageMb)) << 20});
    m.push_back({Kind::Bind, spec.codeDir.string(), "/var/task", 0});
    if (!runtime.hostDir.empty())
        m.push_back({Kind::Bind, runtime.hostDir.string(), "/var/runtime", 0});
    auto layers = mergeLayerMounts(spec.layerDirs, "/opt");
    if (!layers)
        return layers.error();
    m.insert(m.end(), layers->begin(), layers->end());

    std::map<std::string, std::string> environment = spec.environment;
    if (!environment.count("AWS_LAMBDA_RUNTIME_API"))
        environment["AWS_LAMBDA_RUNTIME_API"] = spec.runtimeApiHost + ":" + std::to_string(spec.runtimeApiPort);
    if (!environment.count("PATH"))
        environment["PATH"] = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";
    for (const auto &[key, value] : environment)
        layout.environment.push_back(key + "=" + value);
    return layout;
}

std::vector<std::string> bwrapArguments(const SandboxLayout &layout)
{
    std::vector<std::string> args{
        // A network namespace of its own: the host's loopback (the engine, other environments'
        // endpoints, any local service) does not exist in there.
        "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--unshare-net",
        "--hostname", "localhost", "--die-with-parent",
        "--uid", std::to_string(kSandboxUid), "--gid", std::to_string(kSandboxGid),
    };
    // lambdesk-sandbox-init is the pid namespace's init: it arms its death signal before it proves
    // the engine alive. bwrap's own init arms it only after forking the command, which a sandbox
    // started just before the engine was killed can outlive.
    args.emplace_back("--as-pid-1");
    for (const auto &mount : layout.mounts) {
        switch (mount.kind) {
        case MountEntry::Kind::Bind:
            args.insert(args.end(), {"--ro-bind", mount.source, mount.destination});
            break;
        case MountEntry::Kind::Symlink:
            args.insert(args.end(), {"--symlink", mount.source, mount.destination});
            break;
        case MountEntry::Kind::Dir:
            args.insert(args.end(), {"--dir", mount.destination});
            break;
        case MountEntry::Kind::Tmpfs:
            args.insert(args.end(), {"--perms", "1777", "--size", std::to_string(mount.sizeBytes), "--tmpfs",
                                     mount.destination});
            break;
        case MountEntry::Kind::Proc:
            args.insert(args.end(), {"--proc", mount.destination});
            break;
        case MountEntry::Kind::Dev:
            // Lambda's /dev: the data devices and the fd links; no /dev/tty (the sandbox shares
            // the engine's session, see spawnProcess), no pts, no shm.
            args.insert(args.end(), {"--tmpfs", mount.destination});
            for (const char *device : {"null", "zero", "full", "random", "urandom"})
                args.insert(args.end(), {"--dev-bind", "/dev/" + std::string(device), mount.destination + "/" + device});
            args.insert(args.end(), {"--symlink", "/proc/self/fd", mount.destination + "/fd", "--symlink",
                                     "/proc/self/fd/0", mount.destination + "/stdin", "--symlink", "/proc/self/fd/1",
                                     mount.destination + "/stdout", "--symlink", "/proc/self/fd/2",
                                     mount.destination + "/stderr"});
            break;
        }
    }
    // Like Lambda, only /tmp is writable.
    args.insert(args.end(), {"--remount-ro", "/", "--chdir", layout.workingDir, "--"});
    args.insert(args.end(), layout.command.begin(), layout.command.end());
    return args;
}

} // namespace lambdesk::engine::procsandbox
