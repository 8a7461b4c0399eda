// Asynchronous invocation as Lambda runs it: an event is stored before Invoke answers 202, then
// run by the dispatcher's workers; a function error is retried (up to MaximumRetryAttempts, one
// minute before the second attempt and two before the third), a throttle is retried with
// exponential back-off (1 s doubling to 5 min) until the event is MaximumEventAgeInSeconds old.
// A settled event's invocation record goes to the on-success or on-failure destination, and a
// failed event's payload to the function's dead-letter queue.
#include "common/clock.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "triggers/invocationrecord.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lambdesk::engine {

namespace {

constexpr std::int64_t kFirstRetryDelayMs = 60'000;
constexpr std::int64_t kSecondRetryDelayMs = 120'000;
constexpr std::int64_t kFirstThrottleDelayMs = 1'000;
constexpr std::int64_t kLongestThrottleDelayMs = 300'000;
// Lambda stops a recursive loop of invocations after about 16 of them; a record sent on from
// destination to destination counts as one.
constexpr int kMaxDestinationHops = 16;

std::int64_t retryDelayMs(int attemptsMade)
{
    return attemptsMade <= 1 ? kFirstRetryDelayMs : kSecondRetryDelayMs;
}

std::int64_t throttleDelayMs(int throttles)
{
    std::int64_t delay = kFirstThrottleDelayMs;
    for (int i = 1; i < throttles && delay < kLongestThrottleDelayMs; ++i)
        delay *= 2;
    return std::min(delay, kLongestThrottleDelayMs);
}

} // namespace

std::string Engine::Impl::qualifiedArn(const std::string &function,
                                       const std::string &qualifier) const
{
    return "arn:aws:lambda:" + options.region + ":" + options.accountId + ":function:" + function +
           ":" + (qualifier.empty() ? "$LATEST" : qualifier);
}

Result<InvokeResult> Engine::Impl::enqueueAsync(const InvokeRequest &request,
                                                const std::string &function,
                                                const std::string &qualifier,
                                                const std::string &requestId,
                                                const std::string &clientContext)
{
    AsyncEvent event;
    event.requestId = requestId;
    event.functionName = function;
    event.qualifier = qualifier;
    event.payload = request.payload;
    event.clientContext = clientContext;
    event.source = request.source;
    event.receivedMs = now();
    event.dueMs = event.receivedMs;
    if (auto queued = store->asyncInvocations().enqueue(event); !queued)
        return queued.error();
    asyncDispatcher->wake();
    InvokeResult result;
    result.statusCode = 202;
    result.record.requestId = requestId;
    return result;
}

Result<EventInvokeConfig> Engine::Impl::asyncSettings(const std::string &function,
                                                      const std::string &qualifier)
{
    auto found =
        store->asyncInvocations().config(function, qualifier.empty() ? "$LATEST" : qualifier);
    if (!found)
        return found.error();
    if (*found)
        return std::move(**found);
    EventInvokeConfig defaults;
    defaults.functionName = function;
    return defaults;
}

void Engine::Impl::rescheduleAsyncEvent(AsyncEvent &event, std::int64_t delayMs,
                                        std::int64_t maxAgeMs)
{
    const auto scaled = static_cast<std::int64_t>(
        std::llround(static_cast<double>(delayMs) * options.asyncDelayScale));
    // Never later than the moment the event grows too old: it is given up then, not minutes on.
    event.dueMs =
        std::min(now() + std::max<std::int64_t>(scaled, 1), event.receivedMs + maxAgeMs + 1);
    if (auto saved = store->asyncInvocations().reschedule(event); !saved)
        // The event stays taken; its lease runs out and it is claimed again.
        std::fprintf(stderr, "lambdesk: asynchronous event %s not rescheduled: %s\n",
                     event.requestId.c_str(), saved.error().message.c_str());
    asyncDispatcher->wake();
}

void Engine::Impl::runAsyncEvent(AsyncEvent event)
{
    std::int64_t maxAgeMs = std::int64_t{kDefaultEventAgeSeconds} * 1000;
    auto settings = asyncSettings(event.functionName, event.qualifier);
    auto function = store->get(event.functionName, event.qualifier, routingDraw());
    if (!function && function.error().code == ErrorCode::NotFound) {
        // Its version or alias is gone (a deleted function takes its events with it).
        std::fprintf(stderr, "lambdesk: asynchronous event %s dropped: %s\n",
                     event.requestId.c_str(), function.error().message.c_str());
        (void)store->asyncInvocations().settle(event.seq);
        return;
    }
    if (!function || !settings) { // the store is busy or failing: try again shortly
        ++event.throttles;
        rescheduleAsyncEvent(event, throttleDelayMs(event.throttles), maxAgeMs);
        return;
    }
    decorate(function->info);
    maxAgeMs =
        std::int64_t{settings->maximumEventAgeInSeconds.value_or(kDefaultEventAgeSeconds)} * 1000;
    const std::string &deadLetter = function->info.config.deadLetterTargetArn;
    if (now() - event.receivedMs > maxAgeMs) {
        settleAsyncEvent(event, deadLetter, *settings, kConditionEventAgeExceeded);
        return;
    }
    const InvocationOrigin origin{"Event",
                                  event.attempts == 0 ? event.source : kInvocationSourceAsyncRetry};
    auto slot = pool->reserve(function->info.config.name, function->info.reservedConcurrency);
    if (!slot && asyncDispatcher->stopping())
        return; // the event stays taken, and runs after the next start
    if (!slot) {
        if (slot.error().code == ErrorCode::TooManyRequests)
            record(notRunRecord(*function, event.requestId, origin, InvocationStatus::Throttled,
                                "TooManyRequestsException"));
        ++event.throttles;
        rescheduleAsyncEvent(event, throttleDelayMs(event.throttles), maxAgeMs);
        return;
    }
    const InvokeResult result =
        runSynchronously(*function, event.requestId, event.payload, event.clientContext, origin,
                         common::epochMillis(), std::move(*slot));
    const bool failed = result.functionError.has_value();
    if (failed && asyncDispatcher->stopping())
        return; // cut short by shutdown, not the function's fault: it runs again after a restart
    ++event.attempts;
    event.lastVersion = result.executedVersion;
    event.lastFunctionError = result.functionError.value_or("");
    event.lastResponse = result.payload;
    if (!failed) {
        settleAsyncEvent(event, deadLetter, *settings, kConditionSuccess);
        return;
    }
    if (event.attempts <= settings->maximumRetryAttempts.value_or(kDefaultRetryAttempts)) {
        rescheduleAsyncEvent(event, retryDelayMs(event.attempts), maxAgeMs);
        return;
    }
    settleAsyncEvent(event, deadLetter, *settings, kConditionRetriesExhausted);
}

void Engine::Impl::settleAsyncEvent(const AsyncEvent &event, const std::string &deadLetterQueue,
                                    const EventInvokeConfig &settings, const char *condition)
{
    const bool succeeded = condition == std::string(kConditionSuccess);
    const bool ran = !event.lastVersion.empty();
    const std::string &destination = succeeded ? settings.onSuccess : settings.onFailure;
    if (!destination.empty()) {
        triggers::InvocationRecordInput input;
        input.requestId = event.requestId;
        input.functionArn = qualifiedArn(event.functionName, event.qualifier);
        input.condition = condition;
        input.approximateInvokeCount = event.attempts;
        input.timestampMs = now();
        input.requestPayload = event.payload;
        if (ran)
            input.response = triggers::InvocationResponse{
                event.lastVersion, event.lastFunctionError, event.lastResponse};
        deliverInvocationRecord(destination, triggers::invocationRecord(input), event.hops);
    }
    if (!succeeded && !deadLetterQueue.empty()) {
        // A dead-letter queue gets the event itself; what went wrong rides in its attributes.
        QueueMessageInput message;
        message.body = event.payload.empty() ? "{}" : event.payload;
        message.attributes["RequestID"] = {"String", event.requestId, {}};
        message.attributes["ErrorCode"] = {"Number", "200", {}};
        message.attributes["ErrorMessage"] = {
            "String",
            ran ? triggers::deadLetterErrorMessage(event.lastResponse)
                : std::string("Event age exceeded before the function could run it"),
            {}};
        if (auto sent = sendToQueueArn(deadLetterQueue, message); !sent)
            std::fprintf(stderr, "lambdesk: dead-letter delivery to %s failed: %s\n",
                         deadLetterQueue.c_str(), sent.error().message.c_str());
    }
    if (auto settled = store->asyncInvocations().settle(event.seq); !settled)
        // Its lease runs out and it runs again: at least once, as Lambda promises.
        std::fprintf(stderr, "lambdesk: asynchronous event %s not settled: %s\n",
                     event.requestId.c_str(), settled.error().message.c_str());
}

void Engine::Impl::deliverInvocationRecord(const std::string &destination,
                                           const std::string &record, int hops)
{
    Result<void> delivered;
    if (destinationKind(destination) == DestinationKind::Function) {
        const auto ref = parseFunctionRef(destination);
        auto target = ref ? store->get(ref->name, ref->qualifier, routingDraw())
                          : Result<StoredFunction>(ref.error());
        if (!target) {
            delivered = target.error();
        } else if (hops + 1 > kMaxDestinationHops) {
            delivered = makeError(ErrorCode::InvalidParameter,
                                  "a recursive loop of destinations stopped after " +
                                      std::to_string(kMaxDestinationHops) + " invocations");
        } else {
            AsyncEvent event;
            event.requestId = common::newUuid();
            event.functionName = target->info.config.name;
            event.qualifier = ref->qualifier == "$LATEST" ? std::string() : ref->qualifier;
            event.payload = record;
            event.source = kInvocationSourceDestination;
            event.receivedMs = now();
            event.dueMs = event.receivedMs;
            event.hops = hops + 1;
            if (auto queued = store->asyncInvocations().enqueue(event); !queued)
                delivered = queued.error();
            asyncDispatcher->wake();
        }
    } else {
        QueueMessageInput message;
        message.body = record;
        if (auto sent = sendToQueueArn(destination, message); !sent)
            delivered = sent.error();
    }
    // Lambda counts these as DestinationDeliveryFailures; here the engine's log says why.
    if (!delivered)
        std::fprintf(stderr, "lambdesk: destination delivery to %s failed: %s\n",
                     destination.c_str(), delivered.error().message.c_str());
}

} // namespace lambdesk::engine
