// addTrigger (trigger.h): one entry for every kind of trigger the console's forms add, so the
// Add trigger dialog, the Create function wizard and the blueprints' tests add them alike.
#include "lambdesk/engine/blueprint.h"
#include "lambdesk/engine/trigger.h"

#include <utility>

namespace lambdesk::engine {
namespace {

// The queue by that name, made with default attributes when there is none yet.
Result<void> ensureQueue(Engine &engine, const std::string &name)
{
    auto queue = engine.getQueue(name);
    if (queue)
        return {};
    if (queue.error().code != ErrorCode::QueueDoesNotExist)
        return queue.error();
    auto created = engine.createQueue(name);
    if (!created)
        return created.error();
    return {};
}

Result<std::string> addQueueTrigger(Engine &engine, const std::string &functionName,
                                    const std::string &qualifier, const TriggerRequest &request)
{
    if (request.queue.empty())
        return Error{ErrorCode::InvalidParameter, "Choose a queue to add the trigger."};
    if (auto queue = ensureQueue(engine, request.queue); !queue)
        return queue.error();
    EventSourceMappingInput input = request.mapping;
    input.eventSourceArn = engine.queueArn(request.queue);
    input.functionName = qualifier.empty() ? functionName : functionName + ":" + qualifier;
    auto mapping = engine.createEventSourceMapping(input);
    if (!mapping)
        return mapping.error();
    return request.queue;
}

Result<std::string> addFunctionUrlTrigger(Engine &engine, const std::string &functionName,
                                          const std::string &qualifier,
                                          const TriggerRequest &request)
{
    FunctionUrlSettings settings;
    settings.authType = request.urlAuthType;
    auto url = engine.createFunctionUrl(functionName, qualifier, settings);
    if (!url)
        return url.error();
    if (request.urlAuthType == kUrlAuthNone)
        if (auto granted = engine.grantPublicFunctionUrlAccess(functionName, qualifier); !granted)
            return granted.error();
    return std::string("Function URL");
}

} // namespace

Result<std::string> addTrigger(Engine &engine, const std::string &functionName,
                               const std::string &qualifier, const TriggerRequest &request)
{
    switch (request.kind) {
    case TriggerKind::None:
        return Error{ErrorCode::InvalidParameter, "Choose a trigger source."};
    case TriggerKind::Schedule: {
        auto trigger = engine.addScheduleTrigger(functionName, qualifier, request.schedule);
        if (!trigger)
            return trigger.error();
        return trigger->rule.name;
    }
    case TriggerKind::Folder: {
        auto trigger = engine.addFolderTrigger(functionName, qualifier, request.folder);
        if (!trigger)
            return trigger.error();
        return trigger->bucket;
    }
    case TriggerKind::Queue:
        return addQueueTrigger(engine, functionName, qualifier, request);
    case TriggerKind::FunctionUrl:
        return addFunctionUrlTrigger(engine, functionName, qualifier, request);
    }
    return Error{ErrorCode::InvalidParameter, "Choose a trigger source."};
}

Result<void> addBlueprintDestinations(Engine &engine, const std::string &functionName,
                                      const BlueprintManifest &blueprint)
{
    if (blueprint.onSuccessQueue.empty() && blueprint.onFailureQueue.empty())
        return {};
    EventInvokeConfigInput input;
    for (const auto &[queue, destination] :
         {std::pair{&blueprint.onSuccessQueue, &input.onSuccess},
          std::pair{&blueprint.onFailureQueue, &input.onFailure}}) {
        if (queue->empty())
            continue;
        if (auto made = ensureQueue(engine, *queue); !made)
            return made.error();
        *destination = engine.queueArn(*queue);
    }
    auto config = engine.putFunctionEventInvokeConfig(functionName, {}, input);
    if (!config)
        return config.error();
    return {};
}

} // namespace lambdesk::engine
