#pragma once
// One interface for every isolation backend. A Sandbox is one running execution environment: the
// runtime process (or VM) that polls this environment's Runtime API. The engine core owns it and
// decides when to start, reuse and stop it; the backend only isolates, limits and reports.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

enum class RuntimeKind { Python, Node, Ruby, Java, Provided };

struct RuntimeInfo {
    std::string id;                    // "python3.11", "nodejs20.x", "provided.al2023"
    RuntimeKind kind = RuntimeKind::Provided;
    std::filesystem::path interpreter; // host path, e.g. /usr/bin/python3.11; empty for provided
    std::filesystem::path bootstrap;   // host path of our bootstrap script; empty for provided
};

// Where runtimes find the Runtime API inside a sandbox with a network of its own, as in Lambda.
inline constexpr int kSandboxRuntimeApiPort = 9001;

struct EnvironmentSpec {
    std::string id;                              // unique per environment, safe in file names
    RuntimeInfo runtime;
    std::filesystem::path codeDir;               // host dir, read-only at /var/task
    std::vector<std::filesystem::path> layerDirs; // host dirs, read-only, merged at /opt in order
    std::map<std::string, std::string> environment; // complete environment of the runtime process
    int memoryMb = 128;                          // hard limit of the whole environment
    int ephemeralStorageMb = 512;                // size of the private /tmp
    std::string runtimeApiHost = "127.0.0.1";    // this environment's Runtime API on the host
    int runtimeApiPort = 0;
    std::filesystem::path scratchDir;            // host dir owned by the engine for this environment
    // Outbound access through a user-mode network stack that cannot reach the host's loopback;
    // false: no network at all (tag lambdesk:network=none).
    bool allowNetwork = false;
    // Backends whose sandbox has a network of its own (servesRuntimeApiInside) hand the engine
    // the listening socket of the sandbox's Runtime API through this, before start() returns;
    // ownership of the descriptor passes with the call.
    std::function<Result<void>(int listeningFd)> serveRuntimeApi;
    // SnapStart: the backend may snapshot this environment once initialised and serve later cold
    // starts of the same code and configuration from it (microvm only; others ignore it).
    bool snapStart = false;
};

// A running environment. The destructor kills everything it started and reaps it; it never throws.
// Methods may be called from any thread.
class Sandbox {
public:
    virtual ~Sandbox() = default;
    // Read end (O_NONBLOCK) of the runtime's stdout+stderr. Bytes written by the runtime before it
    // sent an HTTP request to the Runtime API are readable by the time that request arrives.
    virtual int outputFd() const = 0;
    virtual bool isRunning() = 0;
    // After exit: "exit status 1", "signal: killed", ... (Lambda's Runtime.ExitError wording).
    virtual std::string exitDescription() = 0;
    // True once the environment was killed for exceeding its memory limit.
    virtual bool exceededMemoryLimit() = 0;
    virtual std::uint64_t memoryBytes() = 0;     // resident memory of the whole environment now
    virtual std::uint64_t peakMemoryBytes() = 0; // highest seen since start
    virtual void kill() = 0;                     // SIGKILL everything; returns when it is gone
    // True when the runtime was not started but resumed from a snapshot taken after its init
    // (SnapStart): its start is a restore, and Lambda reports it as one.
    virtual bool restoredAfterInit() const { return false; }
    // True when the environment's CPU is emulated (a microVM under TCG, 10-20 times slower than
    // the host): the engine then allows its init longer than Lambda's 10 s.
    virtual bool emulated() const { return false; }
};

class SandboxBackend {
public:
    virtual ~SandboxBackend() = default;
    virtual std::string name() const = 0;        // "process" | "gvisor" | "microvm"
    // True when the sandbox cannot reach the host's loopback: its Runtime API is then served on
    // a socket only that sandbox reaches (spec.serveRuntimeApi), at 127.0.0.1:9001 inside.
    // False: the runtime connects to spec.runtimeApiHost:runtimeApiPort (the microVM relays it).
    virtual bool servesRuntimeApiInside() const { return false; }
    // Whether it works here, with the reason when not. May be slow the first time; cached after.
    virtual Availability probe() = 0;
    // Drops the cached probe result (its inputs, e.g. the guest image, changed).
    virtual void forgetProbe() {}
    // Starts the runtime; returns once the process/VM is launched (not when it is ready).
    virtual Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &spec) = 0;
};

std::unique_ptr<SandboxBackend> makeProcessBackend();
std::unique_ptr<SandboxBackend> makeGvisorBackend();
// cacheDir holds the guest kernel, root image and snapshots ($XDG_CACHE_HOME/lambdesk).
std::unique_ptr<SandboxBackend> makeMicroVmBackend(const std::filesystem::path &cacheDir);

} // namespace lambdesk::engine
