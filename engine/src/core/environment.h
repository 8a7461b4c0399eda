#pragma once
// One Lambda execution environment: a sandboxed runtime, its own Runtime API endpoint, and the
// rendezvous between an invoke and the runtime's long poll. Created cold, reused warm, retired on
// idle expiry, update, timeout or crash.

#include "core/runtimeapiserver.h"
#include "sandbox/sandbox.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace lambdesk::engine {

using Clock = std::chrono::steady_clock;

struct EnvironmentIdentity {
    std::string functionName;
    std::string version;      // "$LATEST" or a number
    std::string revisionId;   // code+config generation this environment was built from
    std::string sandbox;      // backend name
    int memoryMb = 128;
    std::uint64_t retireEpoch = 0; // EnvironmentPool::epoch() when created; stale after retire()
};

enum class RunOutcome { Response, FunctionError, InitError, Timeout, ExitError, OutOfMemory };

struct RunResult {
    RunOutcome outcome = RunOutcome::Response;
    std::string body;          // response, or error document
    std::string errorType;
    double durationMs = 0;     // event delivered -> reply (or the kill)
    std::string output;        // runtime stdout/stderr during this invocation
    std::uint64_t peakMemoryBytes = 0;
    bool delivered = true; // false: the runtime died before it took the event
    bool streamed = false; // the response went to the event's stream (body is empty)
};

struct InitResult {
    bool ready = false;
    RunOutcome outcome = RunOutcome::Response; // when not ready: InitError, Timeout, ExitError, OutOfMemory
    std::string errorType;
    std::string body;
    double initDurationMs = 0;
    std::string output;        // what the runtime printed while initialising
    std::uint64_t peakMemoryBytes = 0; // when not ready: the highest use seen during init
};

class ExecutionEnvironment final : public RuntimeApiHandler {
public:
    ExecutionEnvironment(std::string id, EnvironmentIdentity identity);
    ~ExecutionEnvironment() override; // shutdown()
    ExecutionEnvironment(const ExecutionEnvironment &) = delete;
    ExecutionEnvironment &operator=(const ExecutionEnvironment &) = delete;

    // Starts the Runtime API endpoint, sets AWS_LAMBDA_RUNTIME_API in spec and starts the sandbox.
    // With `buckets`, the environment's endpoint also serves S3's object API over them, and the
    // function finds it in AWS_ENDPOINT_URL_S3 (unless its own configuration names another).
    Result<void> launch(SandboxBackend &backend, EnvironmentSpec spec,
                        triggers::BucketDirectory *buckets = nullptr);
    // Blocks until the runtime's first /next (init done), an init error, an exit, or the deadline.
    InitResult waitForInit(Clock::time_point deadline);
    // Delivers one event and waits for its reply; kills the sandbox on timeout.
    RunResult run(RuntimeEvent event, Clock::time_point deadline);
    // Stops the runtime and the endpoint; idempotent. Only from the thread that owns the
    // environment (the invoking one, or the pool's for an idle one).
    void shutdown();
    // From any thread: kills the runtime, so that a launch, waitForInit() or run() under way ends
    // (as failed) and the environment is never reused; the owner's shutdown() cleans up.
    void abort();

    bool isReusable() const { return m_reusable.load(); }
    // After launch(): the sandbox resumed a snapshot taken after init (see Sandbox).
    bool restoredAfterInit() const { return m_sandbox && m_sandbox->restoredAfterInit(); }
    bool emulated() const { return m_sandbox && m_sandbox->emulated(); }
    const std::string &id() const { return m_id; }
    const EnvironmentIdentity &identity() const { return m_identity; }
    std::uint64_t memoryBytes() const;
    Clock::time_point lastUsed() const;
    void touch();

    // RuntimeApiHandler (called on Runtime API threads)
    std::optional<RuntimeEvent> nextEvent() override;
    bool postResponse(const std::string &requestId, std::string body) override;
    std::shared_ptr<ResponseStream> responseStream(const std::string &requestId) override;
    bool postError(const std::string &requestId, const std::string &errorType, std::string body) override;
    void postInitError(const std::string &errorType, std::string body) override;

private:
    struct Reply {
        RunOutcome outcome;
        std::string errorType;
        std::string body;
        Clock::time_point at;
    };
    void readOutputLoop();
    void drainOutput();                 // moves readable bytes into m_output
    std::string takeOutput();
    RunResult finishWithExit(RunResult result); // sandbox gone: classify exit

    std::string m_id;
    EnvironmentIdentity m_identity;
    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<RuntimeApiServer> m_api;
    std::thread m_outputReader;
    std::atomic<bool> m_reusable{false};
    std::atomic<bool> m_stopping{false};
    Clock::time_point m_launchedAt;

    mutable std::mutex m_mutex;          // protocol state below
    std::condition_variable m_changed;
    bool m_shutdown = false;
    bool m_cleanedUp = false;
    bool m_polled = false;               // the runtime reached its first /next
    Clock::time_point m_firstPollAt;
    std::optional<RuntimeEvent> m_pending;
    std::string m_currentRequestId;
    std::shared_ptr<ResponseStream>
        m_currentStream;     // the current request's, if its invoker takes one
    bool m_streamed = false; // the current reply was streamed
    Clock::time_point m_deliveredAt;
    std::optional<Reply> m_reply;
    std::optional<Reply> m_initError;
    Clock::time_point m_lastUsed;

    std::mutex m_outputMutex;
    std::string m_output;
};

} // namespace lambdesk::engine
