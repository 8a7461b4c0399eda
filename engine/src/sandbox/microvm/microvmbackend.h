#pragma once
// The microvm sandbox backend: every execution environment is a QEMU microvm guest with its own
// kernel. A cold start takes one of three paths, cheapest first:
//   1. a function snapshot of this exact code and configuration (SnapStart): restore and resume;
//   2. a pooled guest restored ahead from the runtime snapshot: hand it the function's files;
//   3. a restore of the runtime snapshot (see microvmsnapshots.h) for this environment alone.
// The function's code, layers and runtime bootstrap reach the guest read-only over virtio-9p, and
// the runtime talks to the engine's Runtime API through the agent (see microvmchannel.h).

#include "microvmprotocol.h"
#include "sandbox/microvm/microvmfunctionsnapshots.h"
#include "sandbox/microvm/microvmimage.h"
#include "sandbox/microvm/microvmmachine.h"
#include "sandbox/microvm/microvmpool.h"
#include "sandbox/microvm/microvmsnapshots.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandboxlayout.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

class MicroVmBackend final : public SandboxBackend {
public:
    explicit MicroVmBackend(std::filesystem::path cacheDir);

    std::string name() const override { return "microvm"; }
    // On a unix socket only this engine can reach (runtimeapisocket.h); the guest's agent relays
    // 127.0.0.1:9001 inside the VM to it over virtio-serial.
    bool servesRuntimeApiInside() const override { return true; }
    Availability probe() override;
    void forgetProbe() override;
    Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &spec) override;

private:
    static constexpr const char *kQemuBinary = "/usr/bin/qemu-system-x86_64";

    // The runtime's command in the guest, as the process backend runs it: our bootstraps from a
    // private copy of the runtimes dir (exported at /var/runtime), Python's precompiled.
    struct GuestRuntime {
        std::vector<std::string> interpreter; // interpreter and its flags; empty for provided
        std::string script;                   // bootstrap path in the guest
        std::filesystem::path runtimeDir;     // host dir exported at /var/runtime
    };

    // What every path of a start shares: the runtime snapshot it comes from and the Start frame.
    struct StartPlan {
        MicroVmLaunch launch;
        MicroVmSnapshot snapshot;
        GuestRuntime runtime;
        microvm::Fields fields;
        std::string functionKey; // the function snapshot's key; empty without SnapStart
    };

    Result<StartPlan> planStart(const EnvironmentSpec &spec);
    // Path 1. Nothing when there is no usable function snapshot (a failed one is dropped).
    std::optional<std::unique_ptr<Sandbox>> startFromFunctionSnapshot(const StartPlan &plan,
                                                                      const EnvironmentSpec &spec);
    // Paths 2 and 3.
    Result<std::unique_ptr<Sandbox>> startFromRuntimeSnapshot(StartPlan plan,
                                                              const EnvironmentSpec &spec);
    Result<std::unique_ptr<Sandbox>> resumeFunction(MicroVmLaunch launch,
                                                    const EnvironmentSpec &spec,
                                                    const MicroVmFunctionSnapshot &function);
    Result<std::unique_ptr<Sandbox>> launchSandbox(MicroVmGuest guest, const EnvironmentSpec &spec,
                                                   const microvm::Fields &start,
                                                   std::function<void()> afterInit);

    // --- the guest's launch and Start (microvmguestlaunch.cpp) ---
    MicroVmLaunch baseLaunch(const MicroVmImage &image, const MicroVmShape &shape) const;
    Result<GuestRuntime> guestRuntime(const EnvironmentSpec &spec, const MicroVmImage &image);
    Result<std::shared_ptr<procsandbox::SandboxFiles>> runtimeFiles();
    static void addZygote(MicroVmLaunch &launch, const EnvironmentSpec &spec,
                          const GuestRuntime &runtime);
    Result<std::filesystem::path> layersDir(const EnvironmentSpec &spec) const;
    static microvm::Fields freshFields();
    static microvm::Fields resumeFields();
    microvm::Fields startFields(const EnvironmentSpec &spec,
                                const std::vector<std::string> &command) const;
    std::string functionSnapshotKey(const MicroVmSnapshot &snapshot, const EnvironmentSpec &spec,
                                    const std::filesystem::path &runtimeDir,
                                    const microvm::Fields &fields);
    std::string contentHash(const std::filesystem::path &dir);

    // --- the pool of guests restored ahead ---
    static void warmSpare(const MicroVmGuest &guest);
    void removeStalePoolSlots();
    void refillPool(const std::string &key, MicroVmLaunch launch, const MicroVmSnapshot &snapshot,
                    const std::optional<std::filesystem::path> &runtimeDir);

    std::filesystem::path m_cacheDir;
    std::filesystem::path m_runDir;
    std::filesystem::path m_emptyDir;
    std::filesystem::path m_placeholderDisk;
    MicroVmSnapshots m_snapshots;
    MicroVmFunctionSnapshots m_functionSnapshots;
    std::atomic<unsigned> m_poolSerial{0};
    std::mutex m_probeMutex;
    bool m_probed = false;
    Availability m_availability;
    MicroVmImage m_image;        // guarded by m_probeMutex
    std::string m_accel = "tcg"; // guarded by m_probeMutex
    std::mutex m_filesMutex;
    std::shared_ptr<procsandbox::SandboxFiles> m_files;
    std::map<std::filesystem::path, std::string> m_contentHashes; // guarded by m_filesMutex
    // Last: its worker uses the members above, so it must stop (be destroyed) first.
    MicroVmPool m_pool;
};

} // namespace lambdesk::engine
