#include "core/environment.h"

#include "core/errordocument.h"

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace lambdesk::engine {
namespace {

// Output kept per invocation; beyond this the oldest bytes go (Lambda truncates long logs too).
constexpr std::size_t kMaxOutputBytes = std::size_t{1024} * 1024;
// How often a waiting invoke re-checks that the sandbox is still alive.
constexpr auto kLivenessPoll = std::chrono::milliseconds(10);

double millisBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

constexpr const char *kShutDownMessage =
    "the execution environment was shut down: the engine is stopping";

} // namespace

ExecutionEnvironment::ExecutionEnvironment(std::string id, EnvironmentIdentity identity)
    : m_id(std::move(id)), m_identity(std::move(identity)), m_lastUsed(Clock::now())
{
}

ExecutionEnvironment::~ExecutionEnvironment()
{
    shutdown();
}

Result<void> ExecutionEnvironment::launch(SandboxBackend &backend, EnvironmentSpec spec,
                                          triggers::BucketDirectory *buckets)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_shutdown)
            return makeError(ErrorCode::ServiceError, kShutDownMessage);
    }
    m_launchedAt = Clock::now();
    m_api = std::make_unique<RuntimeApiServer>(*this, buckets);
    if (backend.servesRuntimeApiInside()) {
        // Only this sandbox reaches its endpoint: the backend hands over a socket inside it.
        spec.runtimeApiHost = "127.0.0.1";
        spec.runtimeApiPort = kSandboxRuntimeApiPort;
        spec.serveRuntimeApi = [api = m_api.get()](int listeningFd) { return api->serveOn(listeningFd); };
    } else {
        auto port = m_api->start(spec.runtimeApiHost);
        if (!port)
            return port.error();
        spec.runtimeApiPort = *port;
    }
    const std::string endpoint = spec.runtimeApiHost + ":" + std::to_string(spec.runtimeApiPort);
    spec.environment["AWS_LAMBDA_RUNTIME_API"] = endpoint;
    if (buckets)
        spec.environment.try_emplace("AWS_ENDPOINT_URL_S3", "http://" + endpoint + kObjectApiPath);
    auto sandbox = backend.start(spec);
    if (!sandbox) {
        shutdown();
        return sandbox.error();
    }
    {
        std::lock_guard lock(m_mutex);
        if (m_shutdown) { // the engine stopped while this sandbox was starting
            (*sandbox)->kill();
            return makeError(ErrorCode::ServiceError, kShutDownMessage);
        }
        m_sandbox = std::move(*sandbox);
    }
    m_outputReader = std::thread([this] { readOutputLoop(); });
    return {};
}

void ExecutionEnvironment::readOutputLoop()
{
    const int fd = m_sandbox->outputFd();
    while (!m_stopping.load()) {
        pollfd pfd{fd, POLLIN, 0};
        int ready = ::poll(&pfd, 1, 100);
        if (ready < 0 && errno != EINTR)
            return;
        if (ready > 0) {
            drainOutput();
            if ((pfd.revents & (POLLHUP | POLLERR)) && !(pfd.revents & POLLIN))
                return; // writer side closed: the runtime is gone
        }
    }
}

void ExecutionEnvironment::drainOutput()
{
    if (!m_sandbox)
        return;
    std::lock_guard lock(m_outputMutex);
    char buffer[16384];
    for (;;) {
        ssize_t n = ::read(m_sandbox->outputFd(), buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_output.append(buffer, static_cast<std::size_t>(n));
    }
    if (m_output.size() > kMaxOutputBytes)
        m_output.erase(0, m_output.size() - kMaxOutputBytes);
}

std::string ExecutionEnvironment::takeOutput()
{
    drainOutput();
    std::lock_guard lock(m_outputMutex);
    return std::exchange(m_output, {});
}

InitResult ExecutionEnvironment::waitForInit(Clock::time_point deadline)
{
    InitResult result;
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_polled) {
            result.ready = true;
            result.initDurationMs = millisBetween(m_launchedAt, m_firstPollAt);
            break;
        }
        if (m_initError) {
            result.outcome = RunOutcome::InitError;
            result.errorType = m_initError->errorType;
            result.body = m_initError->body;
            break;
        }
        if (Clock::now() >= deadline) {
            result.outcome = RunOutcome::Timeout;
            break;
        }
        lock.unlock();
        bool running = m_sandbox->isRunning();
        lock.lock();
        if (!running && !m_polled && !m_initError) {
            result.outcome = m_sandbox->exceededMemoryLimit() ? RunOutcome::OutOfMemory : RunOutcome::ExitError;
            break;
        }
        m_changed.wait_until(lock, std::min(deadline, Clock::now() + kLivenessPoll));
    }
    lock.unlock();
    if (!result.ready) {
        result.initDurationMs = millisBetween(m_launchedAt, Clock::now());
        result.peakMemoryBytes = m_sandbox->peakMemoryBytes();
        m_reusable = false;
        if (result.outcome != RunOutcome::InitError) {
            m_sandbox->kill();
            const std::string exit = m_sandbox->exitDescription();
            if (result.outcome == RunOutcome::Timeout) {
                result.errorType = "Sandbox.Timedout";
                result.body = errorDocument(result.errorType, "Init phase timed out");
            } else {
                result.errorType = result.outcome == RunOutcome::OutOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError";
                std::lock_guard guard(m_mutex);
                result.body = errorDocument(
                    result.errorType,
                    "Runtime exited with error: " + exit +
                        (m_shutdown ? std::string(" (") + kShutDownMessage + ")" : ""));
            }
        }
    } else {
        m_reusable = true;
    }
    result.output = takeOutput();
    return result;
}

RunResult ExecutionEnvironment::run(RuntimeEvent event, Clock::time_point deadline)
{
    RunResult result;
    std::unique_lock lock(m_mutex);
    m_reply.reset();
    const std::string requestId = event.requestId;
    m_pending = std::move(event);
    const Clock::time_point submittedAt = Clock::now();
    m_changed.notify_all();
    for (;;) {
        if (m_reply)
            break;
        if (Clock::now() >= deadline)
            break;
        m_changed.wait_until(lock, std::min(deadline, Clock::now() + kLivenessPoll));
        if (m_reply)
            break;
        lock.unlock();
        bool running = m_sandbox->isRunning();
        lock.lock();
        if (!running && !m_reply)
            break;
    }
    result.delivered = m_currentRequestId == requestId || m_reply;
    const Clock::time_point delivered = result.delivered ? m_deliveredAt : submittedAt;
    if (m_reply) {
        result.outcome = m_reply->outcome;
        result.errorType = m_reply->errorType;
        result.body = std::move(m_reply->body);
        result.streamed = m_streamed && result.outcome == RunOutcome::Response;
        result.durationMs = millisBetween(delivered, m_reply->at);
        m_reply.reset();
        m_lastUsed = Clock::now();
        lock.unlock();
        result.output = takeOutput();
        result.peakMemoryBytes = m_sandbox->peakMemoryBytes();
        return result;
    }
    // No reply: either the deadline passed or the runtime died. Either way this environment is done.
    m_pending.reset();
    m_currentRequestId.clear();
    m_currentStream.reset();
    m_reusable = false;
    const bool timedOut = Clock::now() >= deadline && m_sandbox->isRunning();
    lock.unlock();
    result.durationMs = millisBetween(delivered, Clock::now());
    if (timedOut) {
        result.peakMemoryBytes = m_sandbox->peakMemoryBytes();
        m_sandbox->kill();
        result.outcome = RunOutcome::Timeout;
        result.output = takeOutput();
        return result;
    }
    return finishWithExit(std::move(result));
}

RunResult ExecutionEnvironment::finishWithExit(RunResult result)
{
    result.peakMemoryBytes = m_sandbox->peakMemoryBytes();
    const bool oom = m_sandbox->exceededMemoryLimit();
    result.outcome = oom ? RunOutcome::OutOfMemory : RunOutcome::ExitError;
    result.errorType = oom ? "Runtime.OutOfMemory" : "Runtime.ExitError";
    bool shutDown = false;
    {
        std::lock_guard lock(m_mutex);
        shutDown = m_shutdown;
    }
    result.body = errorDocument(result.errorType,
                                "Runtime exited with error: " + m_sandbox->exitDescription() +
                                    (shutDown ? std::string(" (") + kShutDownMessage + ")" : ""));
    result.output = takeOutput();
    return result;
}

void ExecutionEnvironment::abort()
{
    Sandbox *sandbox = nullptr;
    {
        std::lock_guard lock(m_mutex);
        m_shutdown = true;
        m_reusable = false;
        sandbox = m_sandbox.get(); // set once, under this lock (launch may still be running)
    }
    m_changed.notify_all();
    if (sandbox)
        sandbox->kill();
}

void ExecutionEnvironment::shutdown()
{
    abort();
    {
        std::lock_guard lock(m_mutex);
        if (m_cleanedUp)
            return;
        m_cleanedUp = true;
    }
    if (m_api)
        m_api->stop();
    m_stopping = true;
    if (m_outputReader.joinable())
        m_outputReader.join();
}

std::uint64_t ExecutionEnvironment::memoryBytes() const
{
    return m_sandbox ? m_sandbox->memoryBytes() : 0;
}

Clock::time_point ExecutionEnvironment::lastUsed() const
{
    std::lock_guard lock(m_mutex);
    return m_lastUsed;
}

void ExecutionEnvironment::touch()
{
    std::lock_guard lock(m_mutex);
    m_lastUsed = Clock::now();
}

std::optional<RuntimeEvent> ExecutionEnvironment::nextEvent()
{
    std::unique_lock lock(m_mutex);
    if (!m_polled) {
        m_polled = true;
        m_firstPollAt = Clock::now();
        m_changed.notify_all();
    }
    for (;;) {
        m_changed.wait(lock, [this] { return m_pending.has_value() || m_shutdown; });
        if (m_shutdown)
            return std::nullopt;
        // A runtime that died while it polled must not take the event, which would die with it:
        // left pending, run() gives it to a fresh environment.
        Sandbox *sandbox = m_sandbox.get();
        lock.unlock();
        const bool running = sandbox == nullptr || sandbox->isRunning();
        lock.lock();
        if (!running)
            return std::nullopt;
        if (m_pending)
            break;
    }
    RuntimeEvent event = std::move(*m_pending);
    m_pending.reset();
    m_currentRequestId = event.requestId;
    m_currentStream = event.stream;
    m_streamed = false;
    m_deliveredAt = Clock::now();
    return event;
}

std::shared_ptr<ResponseStream> ExecutionEnvironment::responseStream(const std::string &requestId)
{
    std::lock_guard lock(m_mutex);
    if (requestId != m_currentRequestId || m_reply || !m_currentStream)
        return nullptr;
    m_streamed = true;
    return m_currentStream;
}

bool ExecutionEnvironment::postResponse(const std::string &requestId, std::string body)
{
    std::lock_guard lock(m_mutex);
    if (requestId != m_currentRequestId || m_reply)
        return false;
    m_reply = Reply{RunOutcome::Response, {}, std::move(body), Clock::now()};
    m_currentRequestId.clear();
    m_currentStream.reset();
    m_changed.notify_all();
    return true;
}

bool ExecutionEnvironment::postError(const std::string &requestId, const std::string &errorType,
                                     std::string body)
{
    std::lock_guard lock(m_mutex);
    if (requestId != m_currentRequestId || m_reply)
        return false;
    m_reply = Reply{RunOutcome::FunctionError, errorType, std::move(body), Clock::now()};
    m_currentRequestId.clear();
    m_currentStream.reset();
    m_changed.notify_all();
    return true;
}

void ExecutionEnvironment::postInitError(const std::string &errorType, std::string body)
{
    std::lock_guard lock(m_mutex);
    m_initError = Reply{RunOutcome::InitError, errorType, std::move(body), Clock::now()};
    m_changed.notify_all();
}

} // namespace lambdesk::engine
