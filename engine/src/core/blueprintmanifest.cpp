// parseBlueprintManifest (blueprint.h): blueprint.json into the manifest, every field checked for
// its type so a broken blueprint names its field rather than showing an empty card.
#include "lambdesk/engine/blueprint.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <type_traits>

namespace lambdesk::engine {
namespace {

using nlohmann::json;

Error badField(const std::string &field, const char *expected)
{
    return Error{ErrorCode::InvalidParameter,
                 "blueprint.json: " + field + " must be " + expected + "."};
}

// Reads `key` of `object` into `out` when present; false when it has another type (a number
// must be a whole one: 10.7 is not a batch size).
template <class T> bool read(const json &object, const char *key, T &out)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return true;
    if constexpr (std::is_same_v<T, int>) {
        if (!it->is_number_integer())
            return false;
        const auto value = it->get<std::int64_t>();
        if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
            return false;
    }
    try {
        out = it->get<T>();
        return true;
    } catch (const json::exception &) {
        return false;
    }
}

constexpr const char *kTriggerKinds[] = {"schedule", "folder", "queue", "functionUrl"};

Result<void> readTrigger(const json &trigger, BlueprintManifest &blueprint)
{
    if (!read(trigger, "service", blueprint.triggerService) ||
        !read(trigger, "description", blueprint.triggerDescription))
        return badField("trigger.service and trigger.description", "strings");
    // A misspelt kind would silently suggest no trigger: every key must be one this file knows.
    int kinds = 0;
    for (const auto &[key, value] : trigger.items()) {
        const bool kind = std::find(std::begin(kTriggerKinds), std::end(kTriggerKinds), key) !=
                          std::end(kTriggerKinds);
        kinds += kind ? 1 : 0;
        if (!kind && key != "service" && key != "description")
            return badField("trigger." + key, "one of schedule, folder, queue, functionUrl");
    }
    if (kinds > 1)
        return badField("trigger", "at most one of schedule, folder, queue, functionUrl");
    TriggerRequest &request = blueprint.trigger;
    if (const auto schedule = trigger.find("schedule"); schedule != trigger.end()) {
        request.kind = TriggerKind::Schedule;
        if (!schedule->is_object() || !read(*schedule, "ruleName", request.schedule.name) ||
            !read(*schedule, "scheduleExpression", request.schedule.scheduleExpression) ||
            !read(*schedule, "description", request.schedule.description))
            return badField("trigger.schedule", "an object of strings");
    } else if (const auto folder = trigger.find("folder"); folder != trigger.end()) {
        request.kind = TriggerKind::Folder;
        if (!folder->is_object() || !read(*folder, "events", request.folder.events) ||
            !read(*folder, "prefix", request.folder.prefix) ||
            !read(*folder, "suffix", request.folder.suffix))
            return badField("trigger.folder", "{\"events\": [strings], \"prefix\", \"suffix\"}");
        if (request.folder.events.empty())
            request.folder.events.emplace_back(kS3ObjectCreatedAll);
    } else if (const auto queue = trigger.find("queue"); queue != trigger.end()) {
        request.kind = TriggerKind::Queue;
        int batchSize = kDefaultSqsBatchSize;
        int window = 0;
        bool reportFailures = false;
        if (!queue->is_object() || !read(*queue, "name", request.queue) ||
            !read(*queue, "batchSize", batchSize) ||
            !read(*queue, "maximumBatchingWindowInSeconds", window) ||
            !read(*queue, "reportBatchItemFailures", reportFailures))
            return badField("trigger.queue",
                            "{\"name\", \"batchSize\", \"maximumBatchingWindowInSeconds\", "
                            "\"reportBatchItemFailures\"}");
        if (request.queue.empty())
            return badField("trigger.queue.name", "a queue's name");
        request.mapping.batchSize = batchSize;
        request.mapping.maximumBatchingWindowSeconds = window;
        if (reportFailures)
            request.mapping.functionResponseTypes =
                std::vector<std::string>{kReportBatchItemFailures};
    } else if (const auto url = trigger.find("functionUrl"); url != trigger.end()) {
        request.kind = TriggerKind::FunctionUrl;
        if (!url->is_object() || !read(*url, "authType", request.url.authType) ||
            (request.url.authType != kUrlAuthNone && request.url.authType != kUrlAuthIam))
            return badField("trigger.functionUrl", "{\"authType\": \"NONE\" | \"AWS_IAM\"}");
    }
    return {};
}

Result<void> readDestination(const json &destination, BlueprintManifest &blueprint)
{
    for (const auto &[key, queue] : {std::pair{"onSuccess", &blueprint.onSuccessQueue},
                                     std::pair{"onFailure", &blueprint.onFailureQueue}}) {
        const auto target = destination.find(key);
        if (target == destination.end())
            continue;
        if (!target->is_object() || !read(*target, "queue", *queue))
            return badField(std::string("destination.") + key, "{\"queue\": name}");
    }
    return {};
}

} // namespace

Result<BlueprintManifest> parseBlueprintManifest(const std::string &text)
{
    const json manifest = json::parse(text, nullptr, false);
    if (!manifest.is_object())
        return Error{ErrorCode::InvalidParameter, "blueprint.json is not a JSON object."};
    BlueprintManifest blueprint;
    for (const auto &[key, field] :
         {std::pair{"name", &blueprint.name}, std::pair{"description", &blueprint.description},
          std::pair{"runtime", &blueprint.runtime}, std::pair{"handler", &blueprint.handler},
          std::pair{"testEvent", &blueprint.testEvent}})
        if (!read(manifest, key, *field))
            return badField(key, "a string");
    if (blueprint.name.empty())
        return badField("name", "a non-empty string");
    if (!read(manifest, "tags", blueprint.tags))
        return badField("tags", "a list of strings");
    if (!read(manifest, "executables", blueprint.executables))
        return badField("executables", "a list of strings");
    if (const auto trigger = manifest.find("trigger"); trigger != manifest.end()) {
        if (!trigger->is_object())
            return badField("trigger", "an object");
        if (auto parsed = readTrigger(*trigger, blueprint); !parsed)
            return parsed.error();
    }
    if (const auto destination = manifest.find("destination"); destination != manifest.end()) {
        if (!destination->is_object())
            return badField("destination", "an object");
        if (auto parsed = readDestination(*destination, blueprint); !parsed)
            return parsed.error();
    }
    if (const auto output = manifest.find("outputBucket"); output != manifest.end())
        if (!output->is_object() || !read(*output, "variable", blueprint.outputBucketVariable) ||
            !read(*output, "description", blueprint.outputBucketDescription) ||
            blueprint.outputBucketVariable.empty())
            return badField("outputBucket", "{\"variable\": name, \"description\": text}");
    return blueprint;
}

} // namespace lambdesk::engine
