// The Engine facade's message operations: SendMessage, ReceiveMessage with long polling and
// redrive, DeleteMessage and ChangeMessageVisibility, and the receipt handles they trade in.
#include "common/encoding.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "core/queueattributes.h"
#include "store/queuestore.h"

#include <algorithm>

namespace lambdesk::engine {

using detail::intAttribute;
using detail::redriveTarget;

namespace {

// "queue/message-id/nonce", base64: every receive hands out a new one.
std::string makeReceiptHandle(const std::string &queue, const std::string &messageId)
{
    return common::base64Encode(queue + "/" + messageId + "/" + common::randomHex(12));
}

struct ReceiptParts {
    std::string queue;
    std::string messageId;
};

std::optional<ReceiptParts> parseReceiptHandle(const std::string &handle)
{
    const auto decoded = common::base64Decode(handle);
    if (!decoded)
        return std::nullopt;
    const auto first = decoded->find('/');
    const auto second = decoded->find('/', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos)
        return std::nullopt;
    return ReceiptParts{decoded->substr(0, first), decoded->substr(first + 1, second - first - 1)};
}

Error invalidReceiptHandle(const std::string &handle)
{
    return makeError(ErrorCode::ReceiptHandleIsInvalid,
                     "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
}

ReceivedMessage receivedFrom(StoredMessage stored)
{
    ReceivedMessage message;
    message.messageId = std::move(stored.messageId);
    message.receiptHandle = std::move(stored.receiptHandle);
    message.md5OfBody = common::md5Hex(stored.body);
    message.body = std::move(stored.body);
    message.md5OfMessageAttributes = messageAttributesMd5(stored.attributes);
    message.attributes = std::move(stored.attributes);
    message.systemValues = {
        {"SentTimestamp", std::to_string(stored.sentMs)},
        {"ApproximateReceiveCount", std::to_string(stored.receiveCount)},
        {"ApproximateFirstReceiveTimestamp", std::to_string(stored.firstReceiveMs)},
        {"SenderId", "AIDALAMBDESKLOCAL"},
    };
    if (!stored.deadLetterSourceArn.empty())
        message.systemValues["DeadLetterQueueSourceArn"] = stored.deadLetterSourceArn;
    if (const auto trace = stored.systemAttributes.find("AWSTraceHeader");
        trace != stored.systemAttributes.end())
        message.systemValues["AWSTraceHeader"] = trace->second.stringValue;
    message.systemAttributes = std::move(stored.systemAttributes);
    return message;
}

} // namespace

Result<SentMessage> Engine::sendMessage(const std::string &queueName,
                                        const QueueMessageInput &input)
{
    return m_impl->sendMessage(queueName, input);
}

Result<SentMessage> Engine::Impl::sendToQueueArn(const std::string &arn,
                                                 const QueueMessageInput &input)
{
    const auto name = queueNameFromUrlOrArn(arn);
    if (!name || queueArn(*name) != arn)
        return detail::queueNotFound();
    return sendMessage(*name, input);
}

Result<SentMessage> Engine::Impl::sendMessage(const std::string &queueName,
                                              const QueueMessageInput &input)
{
    auto queue = existingQueue(queueName);
    if (!queue)
        return queue.error();
    const auto maxBytes =
        static_cast<std::size_t>(intAttribute(queue->attributes, "MaximumMessageSize"));
    if (auto valid = validateQueueMessage(input, maxBytes); !valid)
        return valid.error();
    StoredMessage message;
    message.messageId = common::newUuid();
    message.body = input.body;
    message.attributes = input.attributes;
    message.systemAttributes = input.systemAttributes;
    message.sentMs = now();
    const int delay = input.delaySeconds.value_or(intAttribute(queue->attributes, "DelaySeconds"));
    message.visibleMs = message.sentMs + std::int64_t{delay} * 1000;
    if (auto sent = store->queues().send(queueName, message); !sent)
        return sent.error();
    queuesChanged();
    return SentMessage{message.messageId, common::md5Hex(message.body),
                       messageAttributesMd5(message.attributes),
                       messageAttributesMd5(message.systemAttributes)};
}

Result<std::vector<ReceivedMessage>> Engine::Impl::receiveOnce(const StoredQueue &queue,
                                                               const ReceiveOptions &receive)
{
    const auto &attributes = queue.attributes;
    ReceiveBatch batch;
    batch.nowMs = now();
    batch.maxMessages = receive.maxMessages;
    const int visibility =
        receive.visibilityTimeout.value_or(intAttribute(attributes, "VisibilityTimeout"));
    batch.visibilityMs = std::int64_t{visibility} * 1000;
    batch.retentionMs = std::int64_t{intAttribute(attributes, "MessageRetentionPeriod")} * 1000;
    batch.receiptFor = makeReceiptHandle;
    if (const auto target = redriveTarget(attributes)) {
        auto exists = store->queues().get(target->queue);
        if (exists && *exists) // a deleted dead-letter queue leaves messages where they are
            batch.deadLetter =
                DeadLetterRoute{target->queue, target->maxReceiveCount, queueArn(queue.name)};
    }
    auto stored = store->queues().receive(queue.name, batch);
    if (!stored)
        return stored.error();
    std::vector<ReceivedMessage> messages;
    for (StoredMessage &message : *stored)
        messages.push_back(receivedFrom(std::move(message)));
    return messages;
}

Result<std::vector<ReceivedMessage>> Engine::receiveMessages(const std::string &queueName,
                                                             const ReceiveOptions &options)
{
    auto queue = m_impl->existingQueue(queueName);
    if (!queue)
        return queue.error();
    if (options.maxMessages < 1 || options.maxMessages > kMaxMessagesPerReceive)
        return makeError(ErrorCode::InvalidParameter,
                         "Value " + std::to_string(options.maxMessages) +
                             " for parameter MaxNumberOfMessages is invalid. Reason: Must be "
                             "between 1 and 10, if provided.");
    if (options.visibilityTimeout && (*options.visibilityTimeout < 0 ||
                                      *options.visibilityTimeout > kMaxVisibilityTimeoutSeconds))
        return makeError(ErrorCode::InvalidParameter,
                         "Value " + std::to_string(*options.visibilityTimeout) +
                             " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 "
                             "and <= 43200, if provided.");
    const int wait = options.waitSeconds.value_or(
        intAttribute(queue->attributes, "ReceiveMessageWaitTimeSeconds"));
    if (wait < 0 || wait > kMaxReceiveWaitSeconds)
        return makeError(ErrorCode::InvalidParameter,
                         "Value " + std::to_string(wait) +
                             " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and "
                             "<= 20, if provided.");

    return m_impl->receiveWaiting(*queue, options, std::chrono::seconds(wait), nullptr);
}

Result<std::vector<ReceivedMessage>> Engine::Impl::receiveWaiting(StoredQueue queue,
                                                                  const ReceiveOptions &options,
                                                                  std::chrono::milliseconds wait,
                                                                  const std::atomic<bool> *stopping)
{
    using Steady = std::chrono::steady_clock;
    const auto deadline = Steady::now() + wait;
    const auto stopped = [&] { return queueWaitsStopped || (stopping && *stopping); };
    for (;;) {
        std::uint64_t generation = 0;
        {
            std::lock_guard lock(queueWaitMutex);
            generation = queueGeneration;
        }
        auto messages = receiveOnce(queue, options);
        if (!messages || !messages->empty() || Steady::now() >= deadline)
            return messages;
        // Until a send or a change wakes us, the next delayed or in-flight message turns
        // visible, or the wait ends; at most a second, so a moved test clock is seen too.
        auto wake = std::min(deadline, Steady::now() + std::chrono::seconds(1));
        auto next = store->queues().nextVisibleMs(queue.name, now());
        if (next && *next)
            wake = std::min(wake, Steady::now() + std::chrono::milliseconds(**next - now()));
        std::unique_lock lock(queueWaitMutex);
        queueWake.wait_until(lock, wake,
                             [&] { return queueGeneration != generation || stopped(); });
        if (stopped())
            return std::vector<ReceivedMessage>{};
        lock.unlock();
        auto still = existingQueue(queue.name); // deleted or changed while we waited
        if (!still)
            return still.error();
        queue = std::move(*still);
    }
}

Result<void> Engine::deleteMessage(const std::string &queueName, const std::string &receiptHandle)
{
    if (auto queue = m_impl->existingQueue(queueName); !queue)
        return queue.error();
    const auto parts = parseReceiptHandle(receiptHandle);
    if (!parts || parts->queue != queueName)
        return invalidReceiptHandle(receiptHandle);
    // An older handle of a message received again since succeeds and deletes nothing, as SQS.
    auto deleted = m_impl->store->queues().deleteByReceipt(queueName, receiptHandle);
    if (!deleted)
        return deleted.error();
    return {};
}

Result<void> Engine::changeMessageVisibility(const std::string &queueName,
                                             const std::string &receiptHandle,
                                             int visibilityTimeout)
{
    if (auto queue = m_impl->existingQueue(queueName); !queue)
        return queue.error();
    const auto parts = parseReceiptHandle(receiptHandle);
    if (!parts || parts->queue != queueName)
        return invalidReceiptHandle(receiptHandle);
    if (visibilityTimeout < 0 || visibilityTimeout > kMaxVisibilityTimeoutSeconds)
        return makeError(ErrorCode::InvalidParameter,
                         "Value " + std::to_string(visibilityTimeout) +
                             " for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 "
                             "and <= 43200.");
    const std::int64_t now = m_impl->now();
    auto changed =
        m_impl->store->queues().changeVisibility(queueName, receiptHandle, parts->messageId, now,
                                                 now + std::int64_t{visibilityTimeout} * 1000);
    if (!changed)
        return changed.error();
    m_impl->queuesChanged();
    switch (*changed) {
    case VisibilityChange::Changed:
        return {};
    case VisibilityChange::NotInflight:
        return makeError(ErrorCode::MessageNotInflight, "The message is not in flight.");
    case VisibilityChange::NotFound:
        break;
    }
    return makeError(ErrorCode::InvalidParameter,
                     "Value " + receiptHandle +
                         " for parameter ReceiptHandle is invalid. Reason: Message does not exist "
                         "or is not available for visibility timeout change.");
}

} // namespace lambdesk::engine
