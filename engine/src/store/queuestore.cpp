#include "store/queuestore.h"

#include "common/messageattributes.h"
#include "store/database.h"
#include "store/storeguard.h"

#include <nlohmann/json.hpp>

#include <mutex>

namespace lambdesk::engine {

namespace {

using nlohmann::json;

constexpr int kMaxDeadLetterMovesPerReceive = 100;

constexpr const char *kQueueColumns = "name, attributes, tags, created_ms, modified_ms, purged_ms";
constexpr const char *kMessageColumns =
    "message_id, body, attributes, system_attributes, source_arn, sent_ms, visible_ms, "
    "receive_count, first_receive_ms, receipt";

MessageAttributes attributesFrom(const std::string &text)
{
    const json wrapped{{"attributes", json::parse(text)}};
    auto attributes = common::messageAttributesFromJson(wrapped, "attributes");
    return attributes ? std::move(*attributes) : MessageAttributes{};
}

StoredQueue queueFrom(const detail::Statement &row)
{
    StoredQueue queue;
    queue.name = row.text(0);
    queue.attributes = json::parse(row.text(1)).get<QueueAttributes>();
    queue.tags = json::parse(row.text(2)).get<QueueTags>();
    queue.createdMs = row.int64(3);
    queue.modifiedMs = row.int64(4);
    queue.purgedMs = row.int64(5);
    return queue;
}

StoredMessage messageFrom(const detail::Statement &row, int first = 0)
{
    StoredMessage message;
    message.messageId = row.text(first);
    message.body = row.text(first + 1);
    message.attributes = attributesFrom(row.text(first + 2));
    message.systemAttributes = attributesFrom(row.text(first + 3));
    message.deadLetterSourceArn = row.text(first + 4);
    message.sentMs = row.int64(first + 5);
    message.visibleMs = row.int64(first + 6);
    message.receiveCount = row.int32(first + 7);
    message.firstReceiveMs = row.int64(first + 8);
    message.receiptHandle = row.text(first + 9);
    return message;
}

} // namespace

struct QueueStore::Impl {
    explicit Impl(detail::Database database) : db(std::move(database)) {}

    std::optional<StoredQueue> load(const std::string &name)
    {
        auto query =
            db.prepare(std::string("SELECT ") + kQueueColumns + " FROM queues WHERE name = ?");
        query.bind(1, name);
        if (!query.step())
            return std::nullopt;
        return queueFrom(query);
    }

    void insertMessage(const std::string &queue, const StoredMessage &message)
    {
        db.cached("INSERT INTO queue_messages (queue, message_id, body, attributes, "
                  "system_attributes, source_arn, sent_ms, visible_ms, receive_count, "
                  "first_receive_ms, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, queue)
            .bind(2, message.messageId)
            .bindBlob(3, message.body)
            .bind(4, common::messageAttributesJson(message.attributes).dump())
            .bind(5, common::messageAttributesJson(message.systemAttributes).dump())
            .bind(6, message.deadLetterSourceArn)
            .bind(7, message.sentMs)
            .bind(8, message.visibleMs)
            .bind(9, message.receiveCount)
            .bind(10, message.firstReceiveMs)
            .bind(11, message.receiptHandle)
            .run();
    }

    std::mutex mutex; // guards db
    detail::Database db;
};

QueueStore::QueueStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

QueueStore::~QueueStore() = default;

Result<std::unique_ptr<QueueStore>> QueueStore::open(const std::filesystem::path &database)
{
    return detail::guarded("open queues", [&]() -> Result<std::unique_ptr<QueueStore>> {
        auto impl = std::make_unique<Impl>(detail::Database::open(database));
        return std::unique_ptr<QueueStore>(new QueueStore(std::move(impl)));
    });
}

Result<bool> QueueStore::create(const StoredQueue &queue)
{
    return detail::guarded("create queue", [&]() -> Result<bool> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("INSERT INTO queues (name, attributes, tags, created_ms, modified_ms, "
                     "purged_ms) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (name) DO NOTHING")
            .bind(1, queue.name)
            .bind(2, json(queue.attributes).dump())
            .bind(3, json(queue.tags).dump())
            .bind(4, queue.createdMs)
            .bind(5, queue.modifiedMs)
            .run();
        return m_impl->db.changes() > 0;
    });
}

Result<std::optional<StoredQueue>> QueueStore::get(const std::string &name)
{
    return detail::guarded("get queue", [&]() -> Result<std::optional<StoredQueue>> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->load(name);
    });
}

Result<std::vector<StoredQueue>> QueueStore::list(const std::string &namePrefix)
{
    return detail::guarded("list queues", [&]() -> Result<std::vector<StoredQueue>> {
        std::lock_guard lock(m_impl->mutex);
        // substr rather than LIKE: queue names are case-sensitive, LIKE is not.
        auto query = m_impl->db.prepare(std::string("SELECT ") + kQueueColumns +
                                        " FROM queues WHERE substr(name, 1, length(?1)) = ?1 "
                                        "ORDER BY name");
        query.bind(1, namePrefix);
        std::vector<StoredQueue> queues;
        while (query.step())
            queues.push_back(queueFrom(query));
        return queues;
    });
}

Result<void> QueueStore::remove(const std::string &name)
{
    return detail::guarded("delete queue", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        detail::Transaction transaction(m_impl->db);
        m_impl->db.prepare("DELETE FROM queue_messages WHERE queue = ?").bind(1, name).run();
        m_impl->db.prepare("DELETE FROM queues WHERE name = ?").bind(1, name).run();
        transaction.commit();
        return {};
    });
}

Result<void> QueueStore::update(const std::string &name, const QueueAttributes &attributes,
                                const QueueTags &tags, std::int64_t nowMs)
{
    return detail::guarded("update queue", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("UPDATE queues SET attributes = ?, tags = ?, modified_ms = ? WHERE name = ?")
            .bind(1, json(attributes).dump())
            .bind(2, json(tags).dump())
            .bind(3, nowMs)
            .bind(4, name)
            .run();
        return {};
    });
}

Result<void> QueueStore::purge(const std::string &name, std::int64_t nowMs)
{
    return detail::guarded("purge queue", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        detail::Transaction transaction(m_impl->db);
        m_impl->db.prepare("DELETE FROM queue_messages WHERE queue = ?").bind(1, name).run();
        m_impl->db.prepare("UPDATE queues SET purged_ms = ? WHERE name = ?")
            .bind(1, nowMs)
            .bind(2, name)
            .run();
        transaction.commit();
        return {};
    });
}

Result<void> QueueStore::send(const std::string &queue, const StoredMessage &message)
{
    return detail::guarded("send message", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->insertMessage(queue, message);
        return {};
    });
}

Result<std::vector<StoredMessage>> QueueStore::receive(const std::string &queue,
                                                       const ReceiveBatch &batch)
{
    return detail::guarded("receive messages", [&]() -> Result<std::vector<StoredMessage>> {
        std::lock_guard lock(m_impl->mutex);
        auto &db = m_impl->db;
        detail::Transaction transaction(db);
        db.prepare("DELETE FROM queue_messages WHERE queue = ? AND sent_ms < ?")
            .bind(1, queue)
            .bind(2, batch.nowMs - batch.retentionMs)
            .run();
        std::vector<StoredMessage> delivered;
        // A page at a time: messages moved to the dead-letter queue make room for the next. The
        // cursor keeps a message this call delivered (visible again at once with a timeout of
        // 0) out of the same answer; the move cap bounds how long one call holds the lock.
        std::int64_t cursor = 0;
        int movedCount = 0;
        while (delivered.size() < static_cast<std::size_t>(batch.maxMessages) &&
               movedCount < kMaxDeadLetterMovesPerReceive) {
            auto query = db.prepare(std::string("SELECT seq, ") + kMessageColumns +
                                    " FROM queue_messages WHERE queue = ? AND visible_ms <= ? "
                                    "AND seq > ? ORDER BY seq LIMIT ?");
            query.bind(1, queue).bind(2, batch.nowMs).bind(3, cursor).bind(4, batch.maxMessages);
            std::vector<std::pair<std::int64_t, StoredMessage>> page;
            while (query.step())
                page.emplace_back(query.int64(0), messageFrom(query, 1));
            query.reset();
            if (page.empty())
                break;
            for (auto &[seq, message] : page) {
                if (delivered.size() >= static_cast<std::size_t>(batch.maxMessages))
                    break;
                cursor = seq;
                const auto &route = batch.deadLetter;
                if (route && message.receiveCount >= route->maxReceiveCount) {
                    StoredMessage moved = message;
                    moved.deadLetterSourceArn = route->sourceArn;
                    moved.visibleMs = batch.nowMs;
                    moved.receiveCount = 0;
                    moved.firstReceiveMs = 0;
                    moved.receiptHandle.clear();
                    m_impl->insertMessage(route->queue, moved);
                    db.prepare("DELETE FROM queue_messages WHERE seq = ?").bind(1, seq).run();
                    ++movedCount;
                    continue;
                }
                message.receiveCount += 1;
                if (message.firstReceiveMs == 0)
                    message.firstReceiveMs = batch.nowMs;
                message.visibleMs = batch.nowMs + batch.visibilityMs;
                message.receiptHandle = batch.receiptFor(queue, message.messageId);
                db.prepare("UPDATE queue_messages SET receive_count = ?, first_receive_ms = ?, "
                           "visible_ms = ?, receipt = ? WHERE seq = ?")
                    .bind(1, message.receiveCount)
                    .bind(2, message.firstReceiveMs)
                    .bind(3, message.visibleMs)
                    .bind(4, message.receiptHandle)
                    .bind(5, seq)
                    .run();
                delivered.push_back(std::move(message));
            }
        }
        transaction.commit();
        return delivered;
    });
}

Result<bool> QueueStore::deleteByReceipt(const std::string &queue, const std::string &receiptHandle)
{
    return detail::guarded("delete message", [&]() -> Result<bool> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("DELETE FROM queue_messages WHERE queue = ? AND receipt = ?")
            .bind(1, queue)
            .bind(2, receiptHandle)
            .run();
        return m_impl->db.changes() > 0;
    });
}

Result<VisibilityChange> QueueStore::changeVisibility(const std::string &queue,
                                                      const std::string &receiptHandle,
                                                      const std::string &messageId,
                                                      std::int64_t nowMs, std::int64_t visibleMs)
{
    return detail::guarded("change message visibility", [&]() -> Result<VisibilityChange> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare("SELECT receipt, visible_ms, receive_count FROM "
                                        "queue_messages WHERE queue = ? AND message_id = ?");
        query.bind(1, queue).bind(2, messageId);
        if (!query.step() || query.text(0) != receiptHandle)
            return VisibilityChange::NotFound;
        if (query.int64(1) <= nowMs || query.int64(2) == 0)
            return VisibilityChange::NotInflight;
        query.reset();
        m_impl->db
            .prepare("UPDATE queue_messages SET visible_ms = ? WHERE queue = ? AND receipt = ?")
            .bind(1, visibleMs)
            .bind(2, queue)
            .bind(3, receiptHandle)
            .run();
        return VisibilityChange::Changed;
    });
}

Result<QueueCounts> QueueStore::counts(const std::string &queue, std::int64_t nowMs)
{
    return detail::guarded("count messages", [&]() -> Result<QueueCounts> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare("SELECT coalesce(sum(visible_ms <= ?2), 0), "
                                        "coalesce(sum(visible_ms > ?2 AND receive_count > 0), 0), "
                                        "coalesce(sum(visible_ms > ?2 AND receive_count = 0), 0) "
                                        "FROM queue_messages WHERE queue = ?1");
        query.bind(1, queue).bind(2, nowMs);
        query.step();
        return QueueCounts{query.int64(0), query.int64(1), query.int64(2)};
    });
}

Result<std::optional<std::int64_t>> QueueStore::nextVisibleMs(const std::string &queue,
                                                              std::int64_t nowMs)
{
    return detail::guarded("next visible message", [&]() -> Result<std::optional<std::int64_t>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(
            "SELECT min(visible_ms) FROM queue_messages WHERE queue = ? AND visible_ms > ?");
        query.bind(1, queue).bind(2, nowMs);
        if (!query.step() || query.isNull(0))
            return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(query.int64(0));
    });
}

Result<std::vector<StoredMessage>> QueueStore::peek(const std::string &queue, int limit)
{
    return detail::guarded("peek messages", [&]() -> Result<std::vector<StoredMessage>> {
        std::lock_guard lock(m_impl->mutex);
        auto query =
            m_impl->db.prepare(std::string("SELECT ") + kMessageColumns +
                               " FROM queue_messages WHERE queue = ? ORDER BY seq LIMIT ?");
        query.bind(1, queue).bind(2, limit);
        std::vector<StoredMessage> messages;
        while (query.step())
            messages.push_back(messageFrom(query));
        return messages;
    });
}

Result<int> QueueStore::moveBack(const std::string &fromQueue, const std::string &sourceArn,
                                 const std::string &toQueue, std::int64_t nowMs)
{
    return detail::guarded("move messages back", [&]() -> Result<int> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("UPDATE queue_messages SET queue = ?, source_arn = '', visible_ms = ?, "
                     "receive_count = 0, first_receive_ms = 0, receipt = '' "
                     "WHERE queue = ? AND source_arn = ?")
            .bind(1, toQueue)
            .bind(2, nowMs)
            .bind(3, fromQueue)
            .bind(4, sourceArn)
            .run();
        return m_impl->db.changes();
    });
}

Result<std::vector<std::string>> QueueStore::deadLetterSources(const std::string &queue)
{
    return detail::guarded("read dead-letter sources", [&]() -> Result<std::vector<std::string>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare("SELECT DISTINCT source_arn FROM queue_messages "
                                        "WHERE queue = ? AND source_arn != '' ORDER BY source_arn");
        query.bind(1, queue);
        std::vector<std::string> sources;
        while (query.step())
            sources.push_back(query.text(0));
        return sources;
    });
}

} // namespace lambdesk::engine
