// FunctionController's calls about asynchronous invocation: the event invoke config (retries,
// maximum age, destinations) and the dead-letter queue. functioncontroller.cpp has the rest.
#include "function/controllerrun.h"
#include "function/functioncontroller.h"

#include "lambdesk/engine/engine.h"

#include <utility>

namespace lambdesk::app {

using engine::Engine;
using engine::EventInvokeConfig;

namespace {

// The function or alias the page is on, as the event invoke config API names it.
std::string target(const std::string &name, const std::string &qualifier)
{
    return qualifier.empty() ? name : name + ":" + qualifier;
}

// Update when a config exists (what `input` leaves unset is kept), else Put.
engine::Result<EventInvokeConfig> mergeConfig(Engine &engine, const std::string &function,
                                              const engine::EventInvokeConfigInput &input)
{
    auto existing = engine.getFunctionEventInvokeConfig(function);
    if (existing)
        return engine.updateFunctionEventInvokeConfig(function, {}, input);
    if (existing.error().code != engine::ErrorCode::NotFound)
        return existing.error();
    return engine.putFunctionEventInvokeConfig(function, {}, input);
}

} // namespace

void FunctionController::eventInvokeConfig(QObject *context,
                                           Reply<std::optional<EventInvokeConfig>> done) const
{
    run(
        context,
        [qualifier = m_qualifier](Engine &engine, const std::string &name)
            -> engine::Result<std::optional<EventInvokeConfig>> {
            auto config = engine.getFunctionEventInvokeConfig(target(name, qualifier));
            if (config)
                return std::optional<EventInvokeConfig>(std::move(*config));
            // "No config" and "no function" are both NotFound; only the second is an error here.
            if (config.error().code == engine::ErrorCode::NotFound &&
                engine.getFunction(name, qualifier))
                return std::optional<EventInvokeConfig>();
            return config.error();
        },
        std::move(done));
}

void FunctionController::saveAsyncInvocation(QObject *context, int retryAttempts,
                                             int maximumEventAgeSeconds,
                                             std::string deadLetterQueueArn,
                                             Reply<engine::FunctionInfo> done) const
{
    run(
        context,
        [retryAttempts, maximumEventAgeSeconds, deadLetter = std::move(deadLetterQueueArn),
         qualifier = m_qualifier](Engine &engine,
                                  const std::string &name) -> engine::Result<engine::FunctionInfo> {
            engine::EventInvokeConfigInput input;
            input.maximumRetryAttempts = retryAttempts;
            input.maximumEventAgeInSeconds = maximumEventAgeSeconds;
            if (auto saved = mergeConfig(engine, target(name, qualifier), input); !saved)
                return saved.error();
            // The dead-letter queue is the function's configuration: changing it is a new
            // revision (and new environments), so only when it changed.
            auto function = engine.getFunction(name, qualifier);
            if (!function || function->config.deadLetterTargetArn == deadLetter)
                return function;
            engine::FunctionConfigPatch patch;
            patch.deadLetterTargetArn = deadLetter;
            return engine.updateFunctionConfiguration(name, patch);
        },
        std::move(done));
}

void FunctionController::setDestination(QObject *context, bool onSuccess,
                                        std::string destinationArn,
                                        Reply<EventInvokeConfig> done) const
{
    run(
        context,
        [onSuccess, destination = std::move(destinationArn),
         qualifier = m_qualifier](Engine &engine, const std::string &name) {
            engine::EventInvokeConfigInput input;
            (onSuccess ? input.onSuccess : input.onFailure) = destination;
            return mergeConfig(engine, target(name, qualifier), input);
        },
        std::move(done));
}

void FunctionController::destinationTargets(QObject *context, Reply<DestinationTargets> done) const
{
    run(
        context,
        [](Engine &engine, const std::string &name) -> engine::Result<DestinationTargets> {
            DestinationTargets targets;
            for (const engine::FunctionInfo &function : engine.listFunctions())
                if (function.config.name != name)
                    targets.functions.emplace_back(function.config.name, function.functionArn);
            auto queues = engine.listQueues();
            if (!queues)
                return queues.error();
            for (const engine::QueueInfo &queue : *queues)
                targets.queues.emplace_back(queue.name, queue.arn);
            return targets;
        },
        std::move(done));
}

} // namespace lambdesk::app
