#pragma once
// What a Lambda execution environment sees, independent of the tool that builds it: the mounts
// (code read-only at /var/task, our runtimes at /var/runtime, layers merged at /opt, a private
// /tmp, /usr and a minimal /etc from the host), the command and its environment. The process
// backend turns it into bubblewrap arguments, the gVisor backend into an OCI config.
// Private to engine/src/sandbox.

#include "lambdesk/engine/result.h"
#include "sandbox/sandbox.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine::procsandbox {

struct MountEntry {
    enum class Kind {
        Bind,    // read-only bind of host `source`
        Symlink, // symlink at destination pointing to `source`
        Dir,     // empty directory (mount point holder)
        Tmpfs,   // writable tmpfs of sizeBytes
        Proc,
        Dev,
    };
    Kind kind = Kind::Bind;
    std::string source;
    std::string destination;
    std::uint64_t sizeBytes = 0;
};

// Files generated once per backend and shared by its sandboxes: a minimal /etc (passwd with
// Lambda's sbx_user1051, hosts, nsswitch.conf, localtime = UTC) and an empty root skeleton.
// The directory is removed when the last sandbox and the backend have let go of it.
class SandboxFiles {
public:
    static Result<std::shared_ptr<SandboxFiles>> create(const std::string &prefix);
    ~SandboxFiles();
    SandboxFiles(const SandboxFiles &) = delete;
    SandboxFiles &operator=(const SandboxFiles &) = delete;

    const std::filesystem::path &dir() const { return m_dir; }
    std::filesystem::path etcDir() const { return m_dir / "etc"; }
    std::filesystem::path rootDir() const { return m_dir / "root"; } // skeleton with mount points

    // What sandboxes see at /var/runtime: a private copy of the runtimes dir of `runtime`, with
    // the Python bootstrap compiled for its interpreter (compiling the source costs more than
    // a third of the interpreter's start). `script` is the bootstrap path inside the sandbox.
    struct PreparedRuntime {
        std::filesystem::path hostDir;
        std::string script;
    };
    Result<PreparedRuntime> prepareRuntime(const RuntimeInfo &runtime);

    // Host dir holding a copy of lambdesk-sandbox-init, made on first use.
    Result<std::filesystem::path> prepareSandboxInit();

private:
    explicit SandboxFiles(std::filesystem::path dir) : m_dir(std::move(dir)) {}
    std::filesystem::path m_dir;
    std::mutex m_mutex;
    std::map<std::filesystem::path, std::filesystem::path> m_runtimeCopies; // source -> copy
    std::map<std::string, std::string> m_compiled; // copy + interpreter -> script inside
    std::filesystem::path m_initDir;
};

// A backend's SandboxFiles, created on first use (with the `subdirs` it needs inside) and then
// shared by all of its sandboxes.
class SharedSandboxFiles {
public:
    explicit SharedSandboxFiles(std::string prefix, std::vector<std::string> subdirs = {})
        : m_prefix(std::move(prefix)), m_subdirs(std::move(subdirs))
    {
    }
    Result<std::shared_ptr<SandboxFiles>> get();

private:
    const std::string m_prefix;
    const std::vector<std::string> m_subdirs;
    std::mutex m_mutex; // m_files
    std::shared_ptr<SandboxFiles> m_files;
};

// A backend's probe runs once; the lock is held while probing so that concurrent callers wait
// for that answer instead of probing again.
class ProbeOnce {
public:
    template <class Probe>
    Availability get(Probe &&probe)
    {
        std::lock_guard lock(m_mutex);
        if (!m_result)
            m_result = probe();
        return *m_result;
    }

private:
    std::mutex m_mutex;
    std::optional<Availability> m_result;
};

inline constexpr int kSandboxUid = 993; // Lambda's sbx_user1051
inline constexpr int kSandboxGid = 990;

struct SandboxLayout {
    std::vector<MountEntry> mounts;        // in order; later entries may sit inside earlier ones
    std::vector<std::string> command;      // argv inside the sandbox
    std::vector<std::string> environment;  // "KEY=value", complete
    std::string workingDir = "/var/task";
};

// InvalidParameter when a provided function has no bootstrap or the layers cannot be merged.
Result<SandboxLayout> makeSandboxLayout(const EnvironmentSpec &spec, SandboxFiles &files);

// Layers are merged in order, later ones winning, using as few mounts as possible: a directory
// that only one layer has is one bind; only overlapping directories are recreated and descended.
Result<std::vector<MountEntry>> mergeLayerMounts(const std::vector<std::filesystem::path> &layers,
                                                 const std::string &destination);

// Where sandboxes see lambdesk-sandbox-init, and a mount point for a backend's own sockets.
inline constexpr const char *kSandboxInitDir = "/var/lambdesk/bin";
inline constexpr const char *kSandboxInit = "/var/lambdesk/bin/lambdesk-sandbox-init";
inline constexpr const char *kSandboxSocketDir = "/var/lambdesk/api";

// Makes the layout's command start through lambdesk-sandbox-init with `modeArgs` (see
// engine/tools/sandboxinit.cpp), which opens the Runtime API address inside the sandbox.
Result<void> startThroughSandboxInit(SandboxLayout &layout, SandboxFiles &files,
                                     const std::vector<std::string> &modeArgs);

// Arguments for bubblewrap (without the program name) that build `layout`.
std::vector<std::string> bwrapArguments(const SandboxLayout &layout);

} // namespace lambdesk::engine::procsandbox
