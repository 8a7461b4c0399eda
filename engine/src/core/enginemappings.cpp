// The Engine facade's event source mappings: Lambda's rules for a queue mapping (batch size and
// window, filters, response types, scaling, the queue's visibility timeout against the
// function's timeout, one mapping per queue and function), and the pollers that follow them.
// What a poller does with a batch is mappingworker.cpp's.
#include "common/clock.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "core/queueattributes.h"
#include "triggers/eventpattern.h"

#include <algorithm>

namespace lambdesk::engine {

namespace {

Error mappingNotFound(const std::string &uuid)
{
    return makeError(ErrorCode::NotFound,
                     "The resource you requested does not exist. (Service: Lambda, Status Code: "
                     "404, Request ID: " +
                         uuid + ")");
}

int pollersFor(const EventSourceMapping &mapping)
{
    return std::min(mapping.maximumConcurrency.value_or(kDefaultQueuePollers),
                    kDefaultQueuePollers);
}

} // namespace

Result<void> validateEventSourceMapping(const EventSourceMapping &mapping)
{
    if (mapping.batchSize < 1 || mapping.batchSize > kMaxSqsBatchSize)
        return constraintError(std::to_string(mapping.batchSize), "batchSize",
                               mapping.batchSize < 1
                                   ? "Member must have value greater than or equal to 1"
                                   : "Member must have value less than or equal to 10000");
    const int window = mapping.maximumBatchingWindowSeconds;
    if (window < 0 || window > kMaxBatchingWindowSeconds)
        return constraintError(std::to_string(window), "maximumBatchingWindowInSeconds",
                               window < 0 ? "Member must have value greater than or equal to 0"
                                          : "Member must have value less than or equal to 300");
    if (mapping.batchSize > 10 && window < 1)
        return makeError(ErrorCode::InvalidParameter,
                         "Maximum batch window in seconds must be greater than 0 if maximum batch "
                         "size is greater than 10");
    for (const std::string &type : mapping.functionResponseTypes)
        if (type != kReportBatchItemFailures)
            return constraintError("[" + type + "]", "functionResponseTypes",
                                   "Member must satisfy constraint: [Member must satisfy enum "
                                   "value set: [ReportBatchItemFailures]]");
    if (mapping.maximumConcurrency && (*mapping.maximumConcurrency < kMinMaximumConcurrency ||
                                       *mapping.maximumConcurrency > kMaxMaximumConcurrency))
        return constraintError(std::to_string(*mapping.maximumConcurrency),
                               "scalingConfig.maximumConcurrency",
                               *mapping.maximumConcurrency < kMinMaximumConcurrency
                                   ? "Member must have value greater than or equal to 2"
                                   : "Member must have value less than or equal to 1000");
    if (mapping.filterPatterns.size() > kMaxFilterPatterns)
        return makeError(ErrorCode::InvalidParameter,
                         "Invalid filter criteria: at most 5 filters are allowed.");
    for (const std::string &pattern : mapping.filterPatterns)
        if (auto parsed = triggers::EventPattern::parse(pattern); !parsed)
            return parsed.error();
    return {};
}

void Engine::Impl::decorate(EventSourceMapping &mapping) const
{
    mapping.arn = "arn:aws:lambda:" + options.region + ":" + options.accountId +
                  ":event-source-mapping:" + mapping.uuid;
    mapping.functionArn = "arn:aws:lambda:" + options.region + ":" + options.accountId +
                          ":function:" + mapping.functionName +
                          (mapping.qualifier.empty() ? "" : ":" + mapping.qualifier);
    mapping.state = mapping.enabled ? kMappingEnabled : kMappingDisabled;
}

void Engine::Impl::refreshMappings()
{
    auto mappings = store->eventSourceMappings().list();
    if (!mappings)
        return;
    std::map<std::string, int> wanted; // uuid -> pollers
    for (const EventSourceMapping &mapping : *mappings)
        if (mapping.enabled)
            wanted[mapping.uuid] = pollersFor(mapping);
    bool shuttingDown = false;
    {
        std::lock_guard lock(queueWaitMutex);
        shuttingDown = queueWaitsStopped;
    }
    std::vector<std::unique_ptr<QueuePoller>> retired;
    {
        std::lock_guard lock(mappingsMutex);
        for (auto it = pollers.begin(); it != pollers.end();) {
            const auto keep = wanted.find(it->first);
            if (keep == wanted.end() || keep->second != it->second->workers()) {
                it->second->requestStop();
                retired.push_back(std::move(it->second));
                it = pollers.erase(it);
            } else {
                ++it;
            }
        }
        for (const auto &[uuid, workers] : wanted) {
            if (pollers.contains(uuid) || shuttingDown)
                continue;
            pollers[uuid] = std::make_unique<QueuePoller>(
                workers,
                [this, uuid = uuid](const std::atomic<bool> &stopping) {
                    runMappingWorker(uuid, stopping);
                },
                [this] { queuesChanged(); });
        }
    }
    // Joined outside the lock: a worker may be finishing an invoke.
    retired.clear();
}

void Engine::Impl::stopMappings(bool wait)
{
    std::map<std::string, std::unique_ptr<QueuePoller>> stopping;
    {
        std::lock_guard lock(mappingsMutex);
        for (auto &[uuid, poller] : pollers)
            poller->requestStop();
        if (!wait)
            return;
        stopping.swap(pollers);
    }
    stopping.clear(); // joins
}

Result<EventSourceMapping> Engine::createEventSourceMapping(const EventSourceMappingInput &input)
{
    if (input.functionName.empty())
        return constraintError("null", "functionName", "Member must not be null");
    const auto function = getFunction(input.functionName);
    if (!function)
        return function.error();
    EventSourceMapping mapping;
    mapping.uuid = common::newUuid();
    mapping.functionName = function->config.name;
    mapping.qualifier = qualifiedRef(input.functionName, {})->qualifier;
    if (mapping.qualifier == "$LATEST")
        mapping.qualifier.clear();
    mapping.eventSourceArn = input.eventSourceArn;
    if (!mapping.eventSourceArn.starts_with(kQueueArnPrefix))
        return makeError(
            ErrorCode::InvalidParameter,
            "Unsupported event source " +
                (mapping.eventSourceArn.empty() ? std::string("(none)") : mapping.eventSourceArn) +
                ": this engine polls its own queues (arn:aws:sqs:...).");
    const auto queueName = queueNameFromUrlOrArn(mapping.eventSourceArn);
    const auto queue =
        queueName ? getQueue(*queueName) : Result<QueueInfo>(detail::queueNotFound());
    if (!queue || queue->arn != mapping.eventSourceArn)
        return makeError(ErrorCode::InvalidParameter,
                         "Error occurred while ReceiveMessage. SQS Error Code: "
                         "AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The "
                         "specified queue does not exist.");
    mapping.enabled = input.enabled.value_or(true);
    mapping.batchSize = input.batchSize.value_or(kDefaultSqsBatchSize);
    mapping.maximumBatchingWindowSeconds = input.maximumBatchingWindowSeconds.value_or(0);
    mapping.filterPatterns = input.filterPatterns.value_or(std::vector<std::string>{});
    mapping.functionResponseTypes =
        input.functionResponseTypes.value_or(std::vector<std::string>{});
    if (input.maximumConcurrency && *input.maximumConcurrency != 0)
        mapping.maximumConcurrency = input.maximumConcurrency;
    if (auto valid = validateEventSourceMapping(mapping); !valid)
        return valid.error();
    const int visibility = detail::intAttribute(queue->attributes, "VisibilityTimeout");
    if (visibility < function->config.timeoutSeconds)
        return makeError(ErrorCode::InvalidParameter,
                         "Queue visibility timeout: " + std::to_string(visibility) +
                             " seconds is less than Function timeout: " +
                             std::to_string(function->config.timeoutSeconds) + " seconds");
    auto existing =
        m_impl->store->eventSourceMappings().list(mapping.functionName, mapping.eventSourceArn);
    if (!existing)
        return existing.error();
    if (!existing->empty())
        return makeError(ErrorCode::Conflict,
                         "An event source mapping with SQS arn (\" " + mapping.eventSourceArn +
                             " \") and function (\" " + mapping.functionName +
                             " \") already exists. Please update or delete the existing mapping "
                             "with UUID " +
                             existing->front().uuid);
    mapping.lastModifiedMs = common::epochMillis();
    if (auto stored = m_impl->store->eventSourceMappings().put(mapping); !stored)
        return stored.error();
    m_impl->refreshMappings();
    m_impl->decorate(mapping);
    mapping.state = kMappingCreating;
    return mapping;
}

Result<EventSourceMapping> Engine::getEventSourceMapping(const std::string &uuid)
{
    auto mapping = m_impl->store->eventSourceMappings().get(uuid);
    if (!mapping)
        return mapping.error();
    if (!*mapping)
        return mappingNotFound(uuid);
    m_impl->decorate(**mapping);
    return std::move(**mapping);
}

Result<std::vector<EventSourceMapping>>
Engine::listEventSourceMappings(const std::string &functionName, const std::string &eventSourceArn)
{
    std::string name;
    if (!functionName.empty()) {
        const auto ref = parseFunctionRef(functionName);
        if (!ref)
            return ref.error();
        name = ref->name;
    }
    auto mappings = m_impl->store->eventSourceMappings().list(name, eventSourceArn);
    if (!mappings)
        return mappings.error();
    for (EventSourceMapping &mapping : *mappings)
        m_impl->decorate(mapping);
    return mappings;
}

Result<EventSourceMapping> Engine::updateEventSourceMapping(const std::string &uuid,
                                                            const EventSourceMappingInput &input)
{
    auto mapping = getEventSourceMapping(uuid);
    if (!mapping)
        return mapping.error();
    if (!input.functionName.empty()) {
        const auto function = getFunction(input.functionName);
        if (!function)
            return function.error();
        mapping->functionName = function->config.name;
        mapping->qualifier = qualifiedRef(input.functionName, {})->qualifier;
        if (mapping->qualifier == "$LATEST")
            mapping->qualifier.clear();
    }
    if (input.enabled)
        mapping->enabled = *input.enabled;
    if (input.batchSize)
        mapping->batchSize = *input.batchSize;
    if (input.maximumBatchingWindowSeconds)
        mapping->maximumBatchingWindowSeconds = *input.maximumBatchingWindowSeconds;
    if (input.filterPatterns)
        mapping->filterPatterns = *input.filterPatterns;
    if (input.functionResponseTypes)
        mapping->functionResponseTypes = *input.functionResponseTypes;
    if (input.maximumConcurrency)
        mapping->maximumConcurrency = *input.maximumConcurrency == 0
                                          ? std::nullopt
                                          : std::optional<int>(*input.maximumConcurrency);
    if (auto valid = validateEventSourceMapping(*mapping); !valid)
        return valid.error();
    mapping->lastModifiedMs = common::epochMillis();
    if (auto stored = m_impl->store->eventSourceMappings().put(*mapping); !stored)
        return stored.error();
    m_impl->refreshMappings();
    m_impl->decorate(*mapping);
    mapping->state = kMappingUpdating;
    return mapping;
}

Result<EventSourceMapping> Engine::deleteEventSourceMapping(const std::string &uuid)
{
    auto mapping = getEventSourceMapping(uuid);
    if (!mapping)
        return mapping.error();
    if (auto removed = m_impl->store->eventSourceMappings().remove(uuid); !removed)
        return removed.error();
    m_impl->refreshMappings();
    mapping->state = kMappingDeleting;
    return mapping;
}

} // namespace lambdesk::engine
