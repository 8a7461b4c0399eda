// The Engine facade's queue operations: SQS standard queues kept in the data dir, CreateQueue's
// idempotence, attributes with their counts, the redrive policy's checks, purge and tags.
// Messages are enginequeuemessages.cpp's; the store only moves rows.
#include "common/encoding.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "core/queueattributes.h"
#include "store/queuestore.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lambdesk::engine {

using detail::kDefaultQueueAttributes;
using detail::normalisedRedrive;
using detail::queueNotFound;
using detail::redriveTarget;

namespace {

constexpr const char *kAll = "All";

} // namespace

std::string Engine::Impl::queueArn(const std::string &name) const
{
    std::string arn(kQueueArnPrefix);
    arn.append(options.region).append(":").append(options.accountId).append(":").append(name);
    return arn;
}

std::string Engine::queueArn(const std::string &name) const
{
    return m_impl->queueArn(name);
}

void Engine::Impl::queuesChanged()
{
    {
        std::lock_guard lock(queueWaitMutex);
        ++queueGeneration;
    }
    queueWake.notify_all();
}

void Engine::Impl::stopQueueWaits()
{
    {
        std::lock_guard lock(queueWaitMutex);
        queueWaitsStopped = true;
    }
    queueWake.notify_all();
}

Result<StoredQueue> Engine::Impl::existingQueue(const std::string &name)
{
    auto queue = store->queues().get(name);
    if (!queue)
        return queue.error();
    if (!*queue)
        return queueNotFound();
    return std::move(**queue);
}

// The values a queue would take: the defaults under `attributes`, the redrive policy
// normalised, its dead-letter queue checked to exist and to be another queue.
Result<QueueAttributes> Engine::Impl::checkedAttributes(const std::string &queue,
                                                        const QueueAttributes &attributes)
{
    if (auto valid = validateQueueAttributes(attributes); !valid)
        return valid.error();
    QueueAttributes checked = attributes;
    checked.erase("FifoQueue");
    if (auto redrive = checked.find("RedrivePolicy"); redrive != checked.end()) {
        redrive->second = normalisedRedrive(redrive->second);
        if (const auto target = redriveTarget(checked)) {
            auto exists = store->queues().get(target->queue);
            if (!exists)
                return exists.error();
            if (!*exists || target->queue == queue)
                return makeError(ErrorCode::InvalidParameter,
                                 "Value " + redrive->second +
                                     " for parameter RedrivePolicy is invalid. Reason: Dead "
                                     "letter target does not exist.");
        }
    }
    return checked;
}

Result<QueueInfo> Engine::createQueue(const std::string &name, const QueueAttributes &attributes,
                                      const QueueTags &tags)
{
    if (auto valid = validateQueueName(name); !valid)
        return valid.error();
    auto checked = m_impl->checkedAttributes(name, attributes);
    if (!checked)
        return checked.error();
    StoredQueue queue;
    queue.name = name;
    queue.attributes = kDefaultQueueAttributes;
    for (const auto &[key, value] : *checked)
        queue.attributes[key] = value;
    queue.tags = tags;
    queue.createdMs = queue.modifiedMs = m_impl->now();
    auto created = m_impl->store->queues().create(queue);
    if (!created)
        return created.error();
    if (!*created) {
        auto existing = m_impl->existingQueue(name);
        if (!existing)
            return existing.error();
        for (const auto &[key, value] : *checked) {
            const auto current = existing->attributes.find(key);
            const std::string now = current == existing->attributes.end() ? "" : current->second;
            if (now != value)
                return makeError(ErrorCode::QueueNameExists,
                                 "A queue already exists with the same name and a different "
                                 "value for attribute " +
                                     key);
        }
    }
    return getQueue(name);
}

Result<QueueInfo> Engine::getQueue(const std::string &name)
{
    auto queue = m_impl->existingQueue(name);
    if (!queue)
        return queue.error();
    return QueueInfo{queue->name, m_impl->queueArn(queue->name), queue->attributes,
                     queue->createdMs, queue->modifiedMs};
}

Result<std::vector<QueueInfo>> Engine::listQueues(const std::string &namePrefix)
{
    auto queues = m_impl->store->queues().list(namePrefix);
    if (!queues)
        return queues.error();
    std::vector<QueueInfo> infos;
    for (StoredQueue &queue : *queues)
        infos.push_back({queue.name, m_impl->queueArn(queue.name), std::move(queue.attributes),
                         queue.createdMs, queue.modifiedMs});
    return infos;
}

Result<void> Engine::deleteQueue(const std::string &name)
{
    if (auto queue = m_impl->existingQueue(name); !queue)
        return queue.error();
    auto removed = m_impl->store->queues().remove(name);
    m_impl->queuesChanged();
    return removed;
}

Result<QueueAttributes> Engine::getQueueAttributes(const std::string &name,
                                                   const std::vector<std::string> &names)
{
    auto queue = m_impl->existingQueue(name);
    if (!queue)
        return queue.error();
    const std::int64_t now = m_impl->now();
    auto counts = m_impl->store->queues().counts(name, now);
    if (!counts)
        return counts.error();
    QueueAttributes all = queue->attributes;
    all["ApproximateNumberOfMessages"] = std::to_string(counts->visible);
    all["ApproximateNumberOfMessagesNotVisible"] = std::to_string(counts->inFlight);
    all["ApproximateNumberOfMessagesDelayed"] = std::to_string(counts->delayed);
    all["CreatedTimestamp"] = std::to_string(queue->createdMs / 1000);
    all["LastModifiedTimestamp"] = std::to_string(queue->modifiedMs / 1000);
    all["QueueArn"] = m_impl->queueArn(name);
    if (std::find(names.begin(), names.end(), kAll) != names.end())
        return all;
    QueueAttributes selected;
    for (const std::string &wanted : names) {
        const auto found = all.find(wanted);
        const bool settable = wanted == "RedrivePolicy" || wanted == "Policy" ||
                              wanted == "RedriveAllowPolicy" || wanted == "KmsMasterKeyId" ||
                              wanted == "KmsDataKeyReusePeriodSeconds";
        if (found == all.end() && !settable)
            return makeError(ErrorCode::InvalidAttributeName, "Unknown Attribute " + wanted + ".");
        if (found != all.end())
            selected.insert(*found);
    }
    return selected;
}

Result<void> Engine::setQueueAttributes(const std::string &name, const QueueAttributes &attributes)
{
    auto queue = m_impl->existingQueue(name);
    if (!queue)
        return queue.error();
    if (attributes.contains("FifoQueue"))
        return makeError(ErrorCode::InvalidAttributeName, "Unknown Attribute FifoQueue.");
    auto checked = m_impl->checkedAttributes(name, attributes);
    if (!checked)
        return checked.error();
    for (const auto &[key, value] : *checked) {
        if (value.empty() && !kDefaultQueueAttributes.contains(key))
            queue->attributes.erase(key); // "" removes a policy
        else
            queue->attributes[key] = value;
    }
    auto updated =
        m_impl->store->queues().update(name, queue->attributes, queue->tags, m_impl->now());
    m_impl->queuesChanged();
    return updated;
}

Result<void> Engine::purgeQueue(const std::string &name)
{
    auto queue = m_impl->existingQueue(name);
    if (!queue)
        return queue.error();
    const std::int64_t now = m_impl->now();
    if (queue->purgedMs != 0 && now - queue->purgedMs < kPurgeIntervalMs)
        return makeError(ErrorCode::PurgeQueueInProgress, "Only one PurgeQueue operation on " +
                                                              name +
                                                              " is allowed every 60 seconds.");
    auto purged = m_impl->store->queues().purge(name, now);
    m_impl->queuesChanged();
    return purged;
}

Result<std::vector<std::string>> Engine::listDeadLetterSourceQueues(const std::string &name)
{
    if (auto queue = m_impl->existingQueue(name); !queue)
        return queue.error();
    auto queues = m_impl->store->queues().list();
    if (!queues)
        return queues.error();
    std::vector<std::string> sources;
    for (const StoredQueue &queue : *queues)
        if (const auto target = redriveTarget(queue.attributes); target && target->queue == name)
            sources.push_back(queue.name);
    return sources;
}

Result<QueueTags> Engine::listQueueTags(const std::string &name)
{
    auto queue = m_impl->existingQueue(name);
    if (!queue)
        return queue.error();
    return std::move(queue->tags);
}

Result<void> Engine::tagQueue(const std::string &name, const QueueTags &tags,
                              const std::vector<std::string> &removeKeys)
{
    auto queue = m_impl->existingQueue(name);
    if (!queue)
        return queue.error();
    for (const auto &[key, value] : tags)
        queue->tags[key] = value;
    for (const std::string &key : removeKeys)
        queue->tags.erase(key);
    return m_impl->store->queues().update(name, queue->attributes, queue->tags, queue->modifiedMs);
}

} // namespace lambdesk::engine
