// How a microVM guest is launched and started: its QEMU command, the runtime's command and
// files in the guest, the zygote a runtime snapshot holds, and the Start frame's fields.

#include "sandbox/microvm/microvmbackend.h"
#include "sandbox/microvm/microvmpool.h"
#include "sandbox/runtimecatalog.h"

#include "common/random.h"

#include <algorithm>
#include <chrono>
#include <fstream>

namespace lambdesk::engine {

namespace fs = std::filesystem;
namespace proto = microvm;

namespace {

// Lambda's runtime user; the function never runs as root inside its guest.
constexpr const char *kGuestUid = "993";
constexpr const char *kGuestGid = "990";

} // namespace

MicroVmLaunch MicroVmBackend::baseLaunch(const MicroVmImage &image, const MicroVmShape &shape) const
{
    MicroVmLaunch launch;
    launch.qemu = kQemuBinary;
    launch.kernel = image.kernel;
    launch.rootfs = image.rootfs;
    launch.functionImage = m_placeholderDisk;
    launch.shape = shape;
    return launch;
}

// The runtime's command in the guest, as the process backend runs it.
Result<MicroVmBackend::GuestRuntime> MicroVmBackend::guestRuntime(const EnvironmentSpec &spec,
                                                                  const MicroVmImage &image)
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
    for (std::string &option : interpreterOptions(spec.runtime, spec.memoryMb))
        out.interpreter.push_back(std::move(option));
    return out;
}

Result<std::shared_ptr<procsandbox::SandboxFiles>> MicroVmBackend::runtimeFiles()
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
void MicroVmBackend::addZygote(MicroVmLaunch &launch, const EnvironmentSpec &spec,
                               const GuestRuntime &runtime)
{
    // Ruby and Java have no zygote yet: their environments start the interpreter after the
    // restore.
    if (runtime.interpreter.empty() || spec.runtime.kind == RuntimeKind::Ruby ||
        spec.runtime.kind == RuntimeKind::Java)
        return;
    const char *script = spec.runtime.kind == RuntimeKind::Python ? "/usr/lib/lambdesk/zygote.py"
                                                                  : "/usr/lib/lambdesk/zygote.js";
    launch.flavor = fs::path(runtime.interpreter.front()).filename().string();
    for (const auto &arg : runtime.interpreter)
        launch.prepare.emplace("argv", arg);
    launch.prepare.emplace("argv", script);
    launch.prepare.insert({{"env:PATH", "/usr/local/bin:/usr/bin:/bin"},
                           {"env:LANG", "C.UTF-8"},
                           {"env:HOME", "/tmp"},
                           {"uid", kGuestUid},
                           {"gid", kGuestGid}});
}

// The directory exported at /opt: layers merged in order (later layers win), as Lambda does.
// One layer is exported as it is; several are merged with hard links to the shared trees, so a
// cold start copies no layer content.
Result<fs::path> MicroVmBackend::layersDir(const EnvironmentSpec &spec) const
{
    if (spec.layerDirs.empty())
        return m_emptyDir;
    if (spec.layerDirs.size() == 1)
        return spec.layerDirs.front();
    const fs::path merged = spec.scratchDir / "opt";
    std::error_code ec;
    fs::remove_all(merged, ec);
    fs::create_directories(merged, ec);
    if (auto filled = MicroVmPool::populate(merged, spec.layerDirs); !filled)
        return filled.error();
    return merged;
}

// What every Start carries: its nonce, the wall clock and fresh entropy for the guest.
proto::Fields MicroVmBackend::freshFields()
{
    proto::Fields fields;
    fields.emplace("nonce", common::randomHex(8));
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    fields.emplace(
        "time_ns",
        std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
    fields.emplace("entropy", common::randomBytes(64));
    return fields;
}

proto::Fields MicroVmBackend::resumeFields()
{
    proto::Fields fields = freshFields();
    fields.emplace("resume", "1");
    return fields;
}

proto::Fields MicroVmBackend::startFields(const EnvironmentSpec &spec,
                                          const std::vector<std::string> &command) const
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

// Everything the guest's state after init depends on: the runtime snapshot (kernel, image,
// shape, zygote), the code, layers and bootstrap, and the Start fields except what differs
// per environment (time, entropy, log stream name).
std::string MicroVmBackend::functionSnapshotKey(const MicroVmSnapshot &snapshot,
                                                const EnvironmentSpec &spec,
                                                const fs::path &runtimeDir,
                                                const proto::Fields &fields)
{
    proto::Fields identity = fields;
    for (const char *perEnvironment :
         {"nonce", "time_ns", "entropy", "env:AWS_LAMBDA_LOG_STREAM_NAME"})
        identity.erase(perEnvironment);
    std::string text = snapshot.state.string() + "\n" + spec.codeDir.string() + "\n";
    for (const auto &layer : spec.layerDirs)
        text += layer.string() + "\n";
    text += contentHash(runtimeDir) + "\n" + proto::encodeFields(identity);
    return MicroVmSnapshots::hashKey(text);
}

// Of the bootstrap copy (its path differs per engine run, its content only per version).
std::string MicroVmBackend::contentHash(const fs::path &dir)
{
    std::lock_guard lock(m_filesMutex);
    auto &hash = m_contentHashes[dir];
    if (hash.empty()) {
        std::vector<fs::path> files;
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(dir, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec) &&
                it->path().extension() != ".pyc") // derived, and stamped with the copy's mtime
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

} // namespace lambdesk::engine
