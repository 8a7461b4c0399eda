// addTrigger (trigger.h), and what the Create function wizard does with it (blueprint.h): one
// entry for every kind of trigger the console's forms add, so Add trigger, the wizard and the
// blueprints' tests add them alike, and a failure leaves nothing behind.
#include "lambdesk/engine/blueprint.h"
#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/trigger.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace lambdesk::engine {
namespace {

// The queue by that name, made with default attributes when there is none yet. Answers whether
// it was made here, so a failure after it can take it back.
Result<bool> ensureQueue(Engine &engine, const std::string &name)
{
    auto queue = engine.getQueue(name);
    if (queue)
        return false;
    if (queue.error().code != ErrorCode::QueueDoesNotExist)
        return queue.error();
    auto created = engine.createQueue(name);
    if (!created)
        return created.error();
    return true;
}

Result<std::string> addQueueTrigger(Engine &engine, const std::string &functionName,
                                    const std::string &qualifier, const TriggerRequest &request)
{
    if (request.queue.empty())
        return Error{ErrorCode::InvalidParameter, "Choose a queue to add the trigger."};
    auto made = ensureQueue(engine, request.queue);
    if (!made)
        return made.error();
    EventSourceMappingInput input = request.mapping;
    input.eventSourceArn = engine.queueArn(request.queue);
    input.functionName = qualifier.empty() ? functionName : functionName + ":" + qualifier;
    auto mapping = engine.createEventSourceMapping(input);
    if (!mapping) {
        if (*made)
            (void)engine.deleteQueue(request.queue);
        return mapping.error();
    }
    return request.queue;
}

Result<std::string> addFunctionUrlTrigger(Engine &engine, const std::string &functionName,
                                          const std::string &qualifier,
                                          const TriggerRequest &request)
{
    auto url = engine.createFunctionUrl(functionName, qualifier, request.url);
    if (!url)
        return url.error();
    if (request.url.authType == kUrlAuthNone)
        if (auto granted = engine.grantPublicFunctionUrlAccess(functionName, qualifier); !granted) {
            (void)engine.deleteFunctionUrl(functionName, qualifier);
            return granted.error();
        }
    return url->functionUrl;
}

} // namespace

Result<std::string> addTrigger(Engine &engine, const std::string &functionName,
                               const std::string &qualifier, const TriggerRequest &request)
{
    switch (request.kind) {
    case TriggerKind::None:
        break;
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

namespace {

// The queues named in `made` go again: made for a Create that then failed.
void takeBack(Engine &engine, const std::vector<std::string> &made)
{
    for (const std::string &queue : made)
        (void)engine.deleteQueue(queue);
}

// addBlueprintDestinations, saying which queues it made (for a later step's failure).
Result<void> addDestinations(Engine &engine, const std::string &functionName,
                             const BlueprintManifest &blueprint, std::vector<std::string> &made)
{
    if (blueprint.onSuccessQueue.empty() && blueprint.onFailureQueue.empty())
        return {};
    EventInvokeConfigInput input;
    const auto undo = [&](Error error) -> Error {
        takeBack(engine, made);
        made.clear();
        return error;
    };
    for (const auto &[queue, destination] :
         {std::pair{&blueprint.onSuccessQueue, &input.onSuccess},
          std::pair{&blueprint.onFailureQueue, &input.onFailure}}) {
        if (queue->empty())
            continue;
        auto ensured = ensureQueue(engine, *queue);
        if (!ensured)
            return undo(ensured.error());
        if (*ensured)
            made.push_back(*queue);
        *destination = engine.queueArn(*queue);
    }
    auto config = engine.putFunctionEventInvokeConfig(functionName, {}, input);
    if (!config)
        return undo(config.error());
    return {};
}

} // namespace

Result<void> addBlueprintDestinations(Engine &engine, const std::string &functionName,
                                      const BlueprintManifest &blueprint)
{
    std::vector<std::string> made;
    return addDestinations(engine, functionName, blueprint, made);
}

namespace {

// The blueprint's output folder as a bucket. Never the folder that triggers the function: each
// object it wrote there would invoke it again (the console's recursive-invocation warning).
Result<FolderBucket> outputBucket(Engine &engine, const std::string &folder,
                                  const std::optional<TriggerRequest> &trigger)
{
    if (folder.empty())
        return makeError(ErrorCode::InvalidParameter,
                         "Choose a folder for the output bucket: the blueprint writes its "
                         "results there.");
    if (trigger && trigger->kind == TriggerKind::Folder &&
        folderWithin(folder, trigger->folder.folder))
        return makeError(ErrorCode::InvalidParameter,
                         "The output folder is or lies in the folder that triggers the function: "
                         "every object it writes there would invoke it again. Choose another "
                         "folder.");
    return engine.addFolderBucket(folder);
}

} // namespace

Result<CreatedFunction> createFunctionWithTrigger(Engine &engine, const FunctionConfig &config,
                                                  const std::vector<CodeFile> &files,
                                                  const std::optional<TriggerRequest> &trigger,
                                                  const BlueprintManifest *blueprint,
                                                  const std::string &outputFolder)
{
    FunctionConfig withOutput = config;
    std::string registeredBucket; // newly registered here: forgotten again if Create fails
    if (blueprint && !blueprint->outputBucketVariable.empty()) {
        const auto before = engine.listFolderBuckets();
        auto bucket = outputBucket(engine, outputFolder, trigger);
        if (!bucket)
            return bucket.error();
        withOutput.environment[blueprint->outputBucketVariable] = bucket->name;
        if (before && std::none_of(before->begin(), before->end(),
                                   [&](const FolderBucket &b) { return b.name == bucket->name; }))
            registeredBucket = bucket->name;
    }
    const auto forgetBucket = [&] {
        if (!registeredBucket.empty())
            (void)engine.removeFolderBucket(registeredBucket);
    };
    auto function = engine.createFunctionFromFiles(withOutput, files);
    if (!function) {
        forgetBucket();
        return function.error();
    }
    CreatedFunction created{std::move(*function), {}};
    // The function made here goes again; the error names the step, as the console's does.
    const auto undo = [&](const char *step, const Error &error) -> Error {
        std::string message = step + error.message;
        if (auto deleted = engine.deleteFunction(config.name); !deleted)
            message += " Deleting the function again failed too: " + deleted.error().message;
        forgetBucket();
        return Error{error.code, std::move(message)};
    };
    std::vector<std::string> madeQueues; // for the destinations, taken back if the trigger fails
    if (blueprint)
        if (auto destinations = addDestinations(engine, config.name, *blueprint, madeQueues);
            !destinations)
            return undo("The destinations could not be set: ", destinations.error());
    if (trigger) {
        auto added = addTrigger(engine, config.name, {}, *trigger);
        if (!added) {
            Error error = undo("The trigger could not be added: ", added.error());
            takeBack(engine, madeQueues); // after the function whose destinations they were
            return error;
        }
        created.trigger = std::move(*added);
    }
    return created;
}

} // namespace lambdesk::engine
