// Asynchronous invocation as Lambda runs it: an event is stored before Invoke answers 202, then
// run by the dispatcher's workers; a function error is retried (up to MaximumRetryAttempts, one
// minute before the second attempt and two before the third), a throttle is retried with
// exponential back-off (1 s doubling to 5 min) until the event is MaximumEventAgeInSeconds old.
// A settled event's invocation record goes to the on-success or on-failure destination, and a
// failed event's payload to the function's dead-letter queue.
#include "common/clock.h"
#include "core/engineimpl.h"
#include "triggers/invocationrecord.h"

#include <algorithm>
#include <cstdio>

namespace lambdesk::engine {

namespace {

constexpr std::int64_t kFirstRetryDelayMs = 60'000;
constexpr std::int64_t kSecondRetryDelayMs = 120'000;
constexpr std::int64_t kFirstThrottleDelayMs = 1'000;
constexpr std::int64_t kLongestThrottleDelayMs = 300'000;

std::int64_t scaled(std::int64_t delayMs, double scale)
{
    return static_cast<std::int64_t>(static_cast<double>(delayMs) * scale);
}

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

EventInvokeConfig Engine::Impl::asyncSettings(const std::string &function,
                                              const std::string &qualifier)
{
    auto found =
        store->asyncInvocations().config(function, qualifier.empty() ? "$LATEST" : qualifier);
    if (found && *found)
        return **found;
    EventInvokeConfig defaults;
    defaults.functionName = function;
    return defaults;
}

void Engine::Impl::runAsyncEvent(AsyncEvent event)
{
    auto &queue = store->asyncInvocations();
    auto function = store->get(event.functionName, event.qualifier, routingDraw());
    if (!function) {
        // Its version or alias is gone (a deleted function takes its events with it).
        std::fprintf(stderr, "lambdesk: asynchronous event %s dropped: %s\n",
                     event.requestId.c_str(), function.error().message.c_str());
        (void)queue.settle(event.seq);
        return;
    }
    decorate(function->info);
    const EventInvokeConfig settings = asyncSettings(event.functionName, event.qualifier);
    const std::int64_t maxAgeMs =
        std::int64_t{settings.maximumEventAgeInSeconds.value_or(kDefaultEventAgeSeconds)} * 1000;
    if (now() - event.receivedMs > maxAgeMs) {
        settleAsyncEvent(event, *function, settings, {kConditionEventAgeExceeded, nullptr});
        return;
    }
    const InvocationOrigin origin{"Event",
                                  event.attempts == 0 ? event.source : kInvocationSourceAsyncRetry};
    auto slot = pool->reserve(function->info.config.name, function->info.reservedConcurrency);
    if (!slot) {
        if (slot.error().code != ErrorCode::TooManyRequests)
            return; // the engine is stopping: the event stays taken, and runs after a restart
        record(notRunRecord(*function, event.requestId, origin, InvocationStatus::Throttled,
                            "TooManyRequestsException"));
        ++event.throttles;
        event.dueMs = now() + scaled(throttleDelayMs(event.throttles), options.asyncDelayScale);
        (void)queue.reschedule(event);
        asyncDispatcher->wake();
        return;
    }
    const InvokeResult result =
        runSynchronously(*function, event.requestId, event.payload, event.clientContext, origin,
                         common::epochMillis(), std::move(*slot));
    const bool failed = result.functionError.has_value();
    if (failed && asyncDispatcher->stopping())
        return; // cut short by shutdown, not the function's fault: it runs again after a restart
    ++event.attempts;
    if (!failed) {
        settleAsyncEvent(event, *function, settings, {kConditionSuccess, &result});
        return;
    }
    if (event.attempts <= settings.maximumRetryAttempts.value_or(kDefaultRetryAttempts)) {
        event.dueMs = now() + scaled(retryDelayMs(event.attempts), options.asyncDelayScale);
        (void)queue.reschedule(event);
        asyncDispatcher->wake();
        return;
    }
    settleAsyncEvent(event, *function, settings, {kConditionRetriesExhausted, &result});
}

void Engine::Impl::settleAsyncEvent(const AsyncEvent &event, const StoredFunction &function,
                                    const EventInvokeConfig &settings, const AsyncOutcome &outcome)
{
    const bool succeeded = outcome.condition == std::string(kConditionSuccess);
    const std::string &destination = succeeded ? settings.onSuccess : settings.onFailure;
    if (!destination.empty()) {
        triggers::InvocationRecordInput input;
        input.requestId = event.requestId;
        input.functionArn = qualifiedArn(event.functionName, event.qualifier);
        input.condition = outcome.condition;
        input.approximateInvokeCount = event.attempts;
        input.timestampMs = common::epochMillis();
        input.requestPayload = event.payload;
        if (outcome.lastAttempt)
            input.response = triggers::InvocationResponse{
                outcome.lastAttempt->executedVersion,
                outcome.lastAttempt->functionError.value_or(""), outcome.lastAttempt->payload};
        deliverInvocationRecord(destination, triggers::invocationRecord(input));
    }
    const std::string &deadLetter = function.info.config.deadLetterTargetArn;
    if (!succeeded && !deadLetter.empty()) {
        // A dead-letter queue gets the event itself; what went wrong rides in its attributes.
        QueueMessageInput message;
        message.body = event.payload.empty() ? "{}" : event.payload;
        message.attributes["RequestID"] = {"String", event.requestId, {}};
        message.attributes["ErrorCode"] = {"Number", "200", {}};
        message.attributes["ErrorMessage"] = {
            "String",
            outcome.lastAttempt ? triggers::deadLetterErrorMessage(outcome.lastAttempt->payload)
                                : std::string("Event age exceeded before the function ran"),
            {}};
        if (auto sent = sendToQueueArn(deadLetter, message); !sent)
            std::fprintf(stderr, "lambdesk: dead-letter delivery to %s failed: %s\n",
                         deadLetter.c_str(), sent.error().message.c_str());
    }
    (void)store->asyncInvocations().settle(event.seq);
}

void Engine::Impl::deliverInvocationRecord(const std::string &destination,
                                           const std::string &record)
{
    Result<void> delivered;
    if (destinationKind(destination) == DestinationKind::Function) {
        InvokeRequest request;
        request.functionName = destination;
        request.payload = record;
        request.type = InvocationType::Event;
        request.source = kInvocationSourceDestination;
        if (auto invoked = invoke(request); !invoked)
            delivered = invoked.error();
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
