// The invoke path: validation, throttling, cold or warm environment, the event, the log lines
// Lambda prints, and the durable record.

#include "common/clock.h"
#include "common/encoding.h"
#include "common/jsonsyntax.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "core/errordocument.h"
#include "core/logformat.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

namespace lambdesk::engine {
namespace {

constexpr std::size_t kMaxSyncPayload = std::size_t{6} * 1024 * 1024;
constexpr std::size_t kMaxAsyncPayload = std::size_t{256} * 1024;
constexpr std::size_t kMaxClientContext = 3583;
// Lambda gives init its own 10 s; slower backends (TCG microVMs) need no more than that.
constexpr auto kInitLimit = std::chrono::seconds(10);
// An emulated CPU (a microVM under TCG) runs an init 10-20 times slower than Lambda's hardware,
// and slower still on a busy machine: a runtime that starts in 2 s there can need more than 10 s.
// The Init Duration reported stays the real one.
constexpr int kEmulatedInitAllowance = 6;
constexpr std::size_t kLogTailBytes = 4096;

int megabytesCeil(std::uint64_t bytes)
{
    return static_cast<int>((bytes + (1 << 20) - 1) >> 20);
}

std::string traceId()
{
    char epoch[16];
    std::snprintf(epoch, sizeof epoch, "%08llx",
                  static_cast<unsigned long long>(std::time(nullptr)));
    return "Root=1-" + std::string(epoch) + "-" + common::randomHex(12) +
           ";Parent=" + common::randomHex(8) + ";Sampled=0;Lineage=1:00000000:0";
}

std::string logStreamName(const std::string &version)
{
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char date[16];
    std::strftime(date, sizeof date, "%Y/%m/%d", &tm);
    return std::string(date) + "/[" + version + "]" + common::randomHex(16);
}

std::string runtimeExecutionEnv(const RuntimeInfo &runtime)
{
    return "AWS_Lambda_" + runtime.id;
}

std::map<std::string, std::string> runtimeEnvironment(const StoredFunction &function, const RuntimeInfo &runtime,
                                                      const std::string &region)
{
    const auto &config = function.info.config;
    std::map<std::string, std::string> env = config.environment;
    env["_HANDLER"] = config.handler;
    env["LAMBDA_TASK_ROOT"] = "/var/task";
    env["LAMBDA_RUNTIME_DIR"] = "/var/runtime";
    env["AWS_LAMBDA_FUNCTION_NAME"] = config.name;
    env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(config.memorySizeMb);
    env["AWS_LAMBDA_FUNCTION_VERSION"] = function.info.version;
    if (snapStartApplies(config, function.info.version)) {
        // As in Lambda: one snapshot serves many environments, so none has a log stream of its own.
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "snap-start";
    } else {
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + config.name;
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = logStreamName(function.info.version);
        env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
    }
    env["AWS_REGION"] = region;
    env["AWS_DEFAULT_REGION"] = region;
    env["AWS_EXECUTION_ENV"] = runtimeExecutionEnv(runtime);
    env["AWS_ACCESS_KEY_ID"] = "AKIDLAMBDESKLOCAL";
    env["AWS_SECRET_ACCESS_KEY"] = "lambdesk-local-secret";
    env["AWS_SESSION_TOKEN"] = "lambdesk-local-session";
    env["TZ"] = ":UTC";
    env["LANG"] = "en_US.UTF-8";
    env["PATH"] = "/var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin";
    env["LD_LIBRARY_PATH"] = "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib";
    env["HOME"] = "/tmp";
    if (runtime.kind == RuntimeKind::Python) {
        env["PYTHONUNBUFFERED"] = "1"; // output reaches the log before the response is posted
        env["PYTHONDONTWRITEBYTECODE"] = "1";
    }
    if (runtime.kind == RuntimeKind::Ruby) {
        // As Lambda's Ruby runtime: the function's own gems and libraries, then the layers', then
        // the interpreter's bundled gems (rexml, ...). Gems are installed per ABI: those built
        // for the runtime asked for ("3.2.0") and for the Ruby that stands in ("3.1.0").
        const std::string interpreter = runtime.interpreter.filename().string();
        const std::string abi = interpreter.size() > 4 ? interpreter.substr(4) + ".0" : "";
        const std::string asked = runtime.id.size() > 4 ? runtime.id.substr(4) + ".0" : abi;
        std::string gems;
        for (const std::string &version : {asked, abi})
            for (const char *root : {"/var/task/vendor/bundle/ruby/", "/opt/ruby/gems/"})
                if (!version.empty() && gems.find(root + version + ":") == std::string::npos)
                    gems.append(root).append(version).append(":");
        env["RUBYLIB"] = "/var/task:/var/runtime/lib:/opt/ruby/lib";
        env["GEM_PATH"] = gems + "/usr/lib/ruby/gems/" + abi;
    }
    if (runtime.kind == RuntimeKind::Node)
        env["NODE_PATH"] = "/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task";
    return env;
}

// Lambda's Invoke rules, checked before the function is looked up (as the service does): the
// payload quota for the invocation type, the payload is JSON (an empty one is {}), and
// X-Amz-Client-Context is base64 of JSON within its quota.
Result<void> checkInvokeRequest(const InvokeRequest &request)
{
    const std::size_t limit =
        request.type == InvocationType::Event ? kMaxAsyncPayload : kMaxSyncPayload;
    if (request.payload.size() > limit)
        return makeError(ErrorCode::RequestTooLarge, "Request must be smaller than " +
                                                         std::to_string(limit) +
                                                         " bytes for the InvokeFunction operation");
    if (!request.payload.empty()) {
        if (auto problem = common::jsonSyntaxError(request.payload))
            return makeError(
                ErrorCode::InvalidRequestContent,
                "Could not parse request body into json: Could not parse payload into json: " +
                    *problem);
    }
    if (request.clientContext.empty())
        return {};
    if (request.clientContext.size() > kMaxClientContext)
        return makeError(ErrorCode::InvalidRequestContent,
                         "Client context must be smaller than 3583 bytes");
    const auto decoded = common::base64Decode(request.clientContext);
    if (!decoded || common::jsonSyntaxError(*decoded))
        return makeError(ErrorCode::InvalidRequestContent,
                         "Client context must be a valid Base64-encoded JSON object.");
    return {};
}

// checkInvokeRequest has checked that the context is base64 of JSON.
std::string decodeClientContext(const std::string &base64)
{
    return base64.empty() ? std::string() : common::base64Decode(base64).value_or(std::string());
}

InvocationStatus statusFor(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Response: return InvocationStatus::Succeeded;
    case RunOutcome::Timeout: return InvocationStatus::TimedOut;
    default: return InvocationStatus::FunctionError;
    }
}

// What a cold start launches: the function's code, layers, runtime and limits.
EnvironmentSpec environmentSpec(const StoredFunction &function, const RuntimeInfo &runtime,
                                const std::string &id, const std::string &region,
                                std::filesystem::path scratchDir)
{
    const auto &config = function.info.config;
    EnvironmentSpec spec;
    spec.id = id;
    spec.runtime = runtime;
    spec.codeDir = function.codeDir;
    spec.layerDirs = function.layerDirs;
    spec.environment = runtimeEnvironment(function, runtime, region);
    spec.memoryMb = config.memorySizeMb;
    spec.ephemeralStorageMb = config.ephemeralStorageMb;
    spec.snapStart = snapStartApplies(config, function.info.version);
    const auto network = config.tags.find(kNetworkTag);
    spec.allowNetwork = network == config.tags.end() || network->second != kNetworkNone;
    spec.scratchDir = std::move(scratchDir);
    return spec;
}

// The event as GET /next hands it over, its deadline the function's timeout from now.
RuntimeEvent runtimeEvent(const StoredFunction &function, const std::string &requestId,
                          const std::string &payload, const std::string &clientContext,
                          std::shared_ptr<ResponseStream> stream)
{
    RuntimeEvent event;
    event.stream = std::move(stream);
    event.requestId = requestId;
    event.payload = payload.empty() ? "{}" : payload;
    event.functionArn = function.info.functionArn;
    event.clientContext = clientContext;
    event.traceId = traceId();
    event.deadlineMs =
        common::epochMillis() + std::int64_t(function.info.config.timeoutSeconds) * 1000;
    return event;
}

} // namespace

InvocationRecord Engine::Impl::notRunRecord(const StoredFunction &function,
                                            const std::string &requestId,
                                            const InvocationOrigin &origin, InvocationStatus status,
                                            const std::string &errorType)
{
    InvocationRecord rec;
    rec.requestId = requestId;
    rec.functionName = function.info.config.name;
    rec.version = function.info.version;
    rec.alias = function.alias;
    rec.startTimeMs = common::epochMillis();
    rec.memorySizeMb = function.info.config.memorySizeMb;
    rec.status = status;
    rec.errorType = errorType;
    rec.sandbox = function.info.sandbox;
    rec.invocationType = origin.type;
    rec.source = origin.source;
    return rec;
}

Result<InvokeResult> Engine::Impl::invoke(const InvokeRequest &request)
{
    if (auto checked = checkInvokeRequest(request); !checked)
        return checked.error();
    auto parsed = parseFunctionRef(request.functionName);
    if (!parsed)
        return parsed.error();
    std::string qualifier = request.qualifier.empty() ? parsed->qualifier : request.qualifier;
    auto function = store->get(parsed->name, qualifier, routingDraw());
    if (!function)
        return function.error();
    decorate(function->info);

    const std::string &payload = request.payload;

    InvokeResult result;
    result.executedVersion = function->info.version;
    if (request.type == InvocationType::DryRun) {
        result.statusCode = 204;
        return result;
    }
    const std::string requestId = common::newUuid();
    const std::string clientContext = decodeClientContext(request.clientContext);

    if (request.type == InvocationType::Event) {
        std::string asInvoked = qualifier == "$LATEST" ? std::string() : qualifier;
        auto accepted =
            enqueueAsync(request, function->info.config.name, asInvoked, requestId, clientContext);
        if (accepted)
            accepted->executedVersion = function->info.version;
        return accepted;
    }
    auto slot = pool->reserve(function->info.config.name, function->info.reservedConcurrency);
    if (!slot) {
        if (slot.error().code == ErrorCode::TooManyRequests)
            record(notRunRecord(*function, requestId, {"RequestResponse", request.source},
                                InvocationStatus::Throttled, "TooManyRequestsException"));
        return slot.error();
    }
    return runSynchronously(*function, requestId, payload, clientContext,
                            {"RequestResponse", request.source}, common::epochMillis(),
                            std::move(*slot), request.stream);
}

InvokeResult
Engine::Impl::runSynchronously(const StoredFunction &function, const std::string &requestId,
                               const std::string &payload, const std::string &clientContext,
                               const InvocationOrigin &origin, std::int64_t startTimeMs,
                               ConcurrencySlot slot, const std::shared_ptr<ResponseStream> &stream)
{
    const auto &config = function.info.config;
    InvokeResult result;
    result.executedVersion = function.info.version;
    InvocationRecord &rec = result.record;
    rec.requestId = requestId;
    rec.functionName = config.name;
    rec.version = function.info.version;
    rec.alias = function.alias;
    rec.startTimeMs = startTimeMs;
    rec.memorySizeMb = config.memorySizeMb;
    rec.invocationType = origin.type;
    rec.source = origin.source;

    LogBuilder log(requestId, function.info.version);
    // Every invocation ends here, whatever happened: its log, its record, the caller's tail.
    auto finish = [&](const RunResult &run) {
        rec.log = log.finish(rec, run);
        record(rec);
        result.logTail = LogBuilder::tail(rec.log, kLogTailBytes);
        return result;
    };
    // The function never ran: Invoke answers an Unhandled error, the log names why.
    auto failBeforeRun = [&](const std::string &errorType, const std::string &message) {
        rec.status = InvocationStatus::FunctionError;
        rec.errorType = errorType;
        result.functionError = "Unhandled";
        result.payload = errorDocument(errorType, message);
        log.startInvocation();
        log.append("RequestId: " + requestId + " Error: " + message + "\n");
        return finish({});
    };

    auto runtime = catalog->resolve(config.runtime);
    if (!runtime)
        return failBeforeRun("Runtime.Unavailable", runtime.error().message);
    auto backend = sandboxes->backendFor(config.tags);
    if (!backend)
        return failBeforeRun("Runtime.Unavailable", backend.error().message);
    rec.sandbox = (*backend)->name();

    EnvironmentIdentity identity{config.name, function.info.version, function.info.revisionId, rec.sandbox,
                                 config.memorySizeMb, pool->epoch(config.name)};
    std::shared_ptr<ExecutionEnvironment> env;
    RunResult run;
    // A warm runtime that exits after its last answer (Node's runtime does, after an uncaught
    // error) never takes this event: the invocation starts over on a fresh environment, a cold
    // start, as in Lambda, instead of failing for what the previous invocation did.
    for (;;) {
        env = pool->takeIdle(identity);
        rec.coldStart = env == nullptr;
        if (!env) {
            for (std::size_t i = 0; i < function.layerDirs.size(); ++i)
                if (function.layerDirs[i].empty())
                    return failBeforeRun("Runtime.SandboxError",
                                         "layer version " + function.info.layers[i].arn +
                                             " is missing from the data dir");
            env = std::make_shared<ExecutionEnvironment>(common::newUuid(), identity);
            pool->track(env);
            auto launched =
                env->launch(**backend,
                            environmentSpec(function, *runtime, env->id(), options.region,
                                            options.dataDir / "run" / env->id()),
                            this);
            rec.restored = launched && env->restoredAfterInit();
            log.initStart(runtime->id, rec.restored);
            if (!launched)
                return failBeforeRun("Runtime.SandboxError", launched.error().message);
            const auto initLimit = std::max<std::chrono::seconds>(
                                       kInitLimit, std::chrono::seconds(config.timeoutSeconds)) *
                                   (env->emulated() ? kEmulatedInitAllowance : 1);
            InitResult init = env->waitForInit(Clock::now() + initLimit);
            rec.initDurationMs = init.initDurationMs;
            log.append(init.output);
            if (rec.restored && init.ready)
                log.restoreReport(init.initDurationMs);
            if (!init.ready) {
                // As Lambda does, a failed init is billed for its duration and reports the memory
                // it used.
                rec.status = init.outcome == RunOutcome::Timeout ? InvocationStatus::TimedOut
                                                                 : InvocationStatus::FunctionError;
                rec.errorType = init.errorType;
                rec.durationMs = init.initDurationMs;
                rec.billedDurationMs = static_cast<std::int64_t>(std::ceil(init.initDurationMs));
                rec.maxMemoryUsedMb = megabytesCeil(init.peakMemoryBytes);
                result.functionError = "Unhandled";
                result.payload = init.body;
                log.initFailed(init);
                log.startInvocation();
                env->shutdown();
                return finish({});
            }
        }
        log.startInvocation();

        const auto timeout = std::chrono::seconds(config.timeoutSeconds);
        run = env->run(runtimeEvent(function, requestId, payload, clientContext, stream),
                       Clock::now() + timeout);
        if (run.delivered || rec.coldStart || run.outcome == RunOutcome::Timeout)
            break;
        pool->release(std::move(env));
        log = LogBuilder(requestId, function.info.version);
    }

    rec.durationMs = run.durationMs;
    rec.maxMemoryUsedMb = megabytesCeil(run.peakMemoryBytes);
    rec.status = statusFor(run.outcome);
    log.append(run.output);
    switch (run.outcome) {
    case RunOutcome::Response:
        result.payload = std::move(run.body);
        result.streamed = run.streamed;
        break;
    case RunOutcome::Timeout: {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(config.timeoutSeconds));
        rec.durationMs = config.timeoutSeconds * 1000.0;
        rec.errorType = "Sandbox.Timedout";
        result.functionError = "Unhandled";
        result.payload = errorDocument(rec.errorType, "RequestId: " + requestId +
                                                          " Error: Task timed out after " +
                                                          seconds + " seconds");
        log.append(LogBuilder::timestamp() + " " + requestId + " Task timed out after " + seconds + " seconds\n");
        break;
    }
    case RunOutcome::ExitError:
    case RunOutcome::OutOfMemory: {
        rec.errorType = run.errorType;
        result.functionError = "Unhandled";
        const std::string message = errorMessageOf(run.body);
        result.payload =
            errorDocument(rec.errorType, "RequestId: " + requestId + " Error: " + message);
        log.append("RequestId: " + requestId + " Error: " + message + "\n" + rec.errorType + "\n");
        break;
    }
    case RunOutcome::FunctionError:
    case RunOutcome::InitError:
        rec.errorType = run.errorType;
        result.functionError = "Unhandled";
        result.payload = std::move(run.body);
        break;
    }
    rec.billedDurationMs = static_cast<std::int64_t>(std::ceil(rec.durationMs));
    pool->release(std::move(env));
    (void)slot; // held until here: the environment is back in the pool before the slot frees
    return finish(run);
}

} // namespace lambdesk::engine
