#pragma once
// Queues and their messages, rows in SQLite: a message is durable once send() returns, and a
// receive is one transaction, so a message is either still visible, in flight until its
// visibility timeout, or deleted; a crash in between only redelivers it. The queue rules
// (attribute values, receipt handle format, batch limits) are the engine's; this keeps what it
// is given and moves messages as told.
//
// Thread-safe, with a connection and a lock of its own.

#include "lambdesk/engine/queue.h"
#include "lambdesk/engine/result.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

struct StoredQueue {
    std::string name;
    QueueAttributes attributes;
    QueueTags tags;
    std::int64_t createdMs = 0;
    std::int64_t modifiedMs = 0;
    std::int64_t purgedMs = 0;
};

struct StoredMessage {
    std::string messageId;
    std::string body;
    MessageAttributes attributes;
    MessageAttributes systemAttributes;
    std::string deadLetterSourceArn; // set once moved to a dead-letter queue
    std::int64_t sentMs = 0;
    std::int64_t visibleMs = 0; // delivered when visibleMs <= now
    int receiveCount = 0;
    std::int64_t firstReceiveMs = 0;
    std::string receiptHandle; // the latest receive's
};

struct QueueCounts {
    std::int64_t visible = 0;
    std::int64_t inFlight = 0; // received, visibility timeout running
    std::int64_t delayed = 0;  // sent with a delay that has not passed
};

// Where messages received too often go instead of being delivered again.
struct DeadLetterRoute {
    std::string queue; // the dead-letter queue's name
    int maxReceiveCount = 0;
    std::string sourceArn; // the source queue's ARN, kept on the moved message
};

struct ReceiveBatch {
    std::int64_t nowMs = 0;
    int maxMessages = 1;
    std::int64_t visibilityMs = 0;
    std::int64_t retentionMs = 0; // older messages are dropped first
    std::optional<DeadLetterRoute> deadLetter;
    // Makes each delivery's receipt handle (message id in, handle out).
    std::string (*receiptFor)(const std::string &queue, const std::string &messageId) = nullptr;
};

enum class VisibilityChange { Changed, NotInflight, NotFound };

class QueueStore {
public:
    static Result<std::unique_ptr<QueueStore>> open(const std::filesystem::path &database);
    ~QueueStore();
    QueueStore(const QueueStore &) = delete;
    QueueStore &operator=(const QueueStore &) = delete;

    // false when a queue of that name exists (nothing changes).
    Result<bool> create(const StoredQueue &queue);
    Result<std::optional<StoredQueue>> get(const std::string &name);
    Result<std::vector<StoredQueue>> list(const std::string &namePrefix = {});
    Result<void> remove(const std::string &name); // with its messages
    Result<void> update(const std::string &name, const QueueAttributes &attributes,
                        const QueueTags &tags, std::int64_t nowMs);
    Result<void> purge(const std::string &name, std::int64_t nowMs);

    Result<void> send(const std::string &queue, const StoredMessage &message);
    // Delivers up to maxMessages visible messages, oldest first, moving any received
    // maxReceiveCount times to the dead-letter queue instead.
    Result<std::vector<StoredMessage>> receive(const std::string &queue, const ReceiveBatch &batch);
    // true when the handle was the message's latest (it is gone); false for an older handle.
    Result<bool> deleteByReceipt(const std::string &queue, const std::string &receiptHandle);
    Result<VisibilityChange> changeVisibility(const std::string &queue,
                                              const std::string &receiptHandle,
                                              const std::string &messageId, std::int64_t nowMs,
                                              std::int64_t visibleMs);
    Result<QueueCounts> counts(const std::string &queue, std::int64_t nowMs);
    // When the earliest message not yet visible becomes so; nullopt when none is waiting.
    Result<std::optional<std::int64_t>> nextVisibleMs(const std::string &queue, std::int64_t nowMs);
    // Up to `limit` messages as they stand, oldest first; nothing changes.
    Result<std::vector<StoredMessage>> peek(const std::string &queue, int limit);
    // Every message of `fromQueue` that came from the queue `sourceArn` goes back to
    // `toQueue`, visible at `nowMs` and never received; returns how many moved.
    Result<int> moveBack(const std::string &fromQueue, const std::string &sourceArn,
                         const std::string &toQueue, std::int64_t nowMs);
    // The source ARNs of a dead-letter queue's messages.
    Result<std::vector<std::string>> deadLetterSources(const std::string &queue);

private:
    struct Impl;
    explicit QueueStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
