// The Engine facade's queue calls that only the console makes: a look at a queue's messages
// without receiving them, and moving a dead-letter queue's messages back where they came from.
#include "core/engineimpl.h"
#include "core/queueattributes.h"

#include <algorithm>

namespace lambdesk::engine {

namespace {

constexpr int kMaxPeek = 100;

} // namespace

Result<std::vector<PeekedMessage>> Engine::peekMessages(const std::string &queue, int max)
{
    if (auto exists = m_impl->existingQueue(queue); !exists)
        return exists.error();
    auto stored = m_impl->store->queues().peek(queue, std::clamp(max, 1, kMaxPeek));
    if (!stored)
        return stored.error();
    const std::int64_t now = m_impl->now();
    std::vector<PeekedMessage> messages;
    for (StoredMessage &message : *stored) {
        PeekedMessage peeked;
        peeked.messageId = std::move(message.messageId);
        peeked.body = std::move(message.body);
        peeked.sentMs = message.sentMs;
        peeked.receiveCount = message.receiveCount;
        peeked.state = message.visibleMs <= now   ? "available"
                       : message.receiveCount > 0 ? "in flight"
                                                  : "delayed";
        peeked.deadLetterSourceArn = std::move(message.deadLetterSourceArn);
        messages.push_back(std::move(peeked));
    }
    return messages;
}

Result<int> Engine::redriveDeadLetters(const std::string &deadLetterQueue)
{
    if (auto exists = m_impl->existingQueue(deadLetterQueue); !exists)
        return exists.error();
    auto sources = m_impl->store->queues().deadLetterSources(deadLetterQueue);
    if (!sources)
        return sources.error();
    int moved = 0;
    for (const std::string &sourceArn : *sources) {
        const auto source = queueNameFromUrlOrArn(sourceArn);
        if (!source || m_impl->queueArn(*source) != sourceArn || !m_impl->existingQueue(*source))
            continue; // its source queue is gone: the messages stay where they are
        auto count =
            m_impl->store->queues().moveBack(deadLetterQueue, sourceArn, *source, m_impl->now());
        if (!count)
            return count.error();
        moved += *count;
    }
    if (moved > 0)
        m_impl->queuesChanged();
    return moved;
}

} // namespace lambdesk::engine
