#include "store/asyncinvokestore.h"

#include "store/database.h"
#include "store/storeguard.h"

#include <mutex>

namespace lambdesk::engine {

namespace {

constexpr const char *kEventColumns =
    "seq, request_id, function_name, qualifier, payload, client_context, source, received_ms, "
    "attempts, throttles, due_ms, hops, last_version, last_error, last_response";

AsyncEvent eventFrom(const detail::Statement &row)
{
    AsyncEvent event;
    event.seq = row.int64(0);
    event.requestId = row.text(1);
    event.functionName = row.text(2);
    event.qualifier = row.text(3);
    event.payload = row.text(4);
    event.clientContext = row.text(5);
    event.source = row.text(6);
    event.receivedMs = row.int64(7);
    event.attempts = row.int32(8);
    event.throttles = row.int32(9);
    event.dueMs = row.int64(10);
    event.hops = row.int32(11);
    event.lastVersion = row.text(12);
    event.lastFunctionError = row.text(13);
    event.lastResponse = row.text(14);
    return event;
}

constexpr const char *kConfigColumns = "function_name, qualifier, retry_attempts, max_event_age, "
                                       "on_success, on_failure, modified_ms";

EventInvokeConfig configFrom(const detail::Statement &row)
{
    EventInvokeConfig config;
    config.functionName = row.text(0);
    config.qualifier = row.text(1);
    if (!row.isNull(2))
        config.maximumRetryAttempts = row.int32(2);
    if (!row.isNull(3))
        config.maximumEventAgeInSeconds = row.int32(3);
    config.onSuccess = row.text(4);
    config.onFailure = row.text(5);
    config.lastModifiedMs = row.int64(6);
    return config;
}

} // namespace

struct AsyncInvokeStore::Impl {
    explicit Impl(detail::Database database) : db(std::move(database)) {}
    std::mutex mutex; // guards db
    detail::Database db;
};

AsyncInvokeStore::AsyncInvokeStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

AsyncInvokeStore::~AsyncInvokeStore() = default;

Result<std::unique_ptr<AsyncInvokeStore>>
AsyncInvokeStore::open(const std::filesystem::path &database)
{
    return detail::guarded(
        "open async invocations", [&]() -> Result<std::unique_ptr<AsyncInvokeStore>> {
            auto impl = std::make_unique<Impl>(detail::Database::open(database));
            impl->db.exec("UPDATE async_events SET taken_until = 0");
            return std::unique_ptr<AsyncInvokeStore>(new AsyncInvokeStore(std::move(impl)));
        });
}

Result<std::int64_t> AsyncInvokeStore::enqueue(const AsyncEvent &event)
{
    return detail::guarded("queue async event", [&]() -> Result<std::int64_t> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("INSERT INTO async_events (request_id, function_name, qualifier, payload, "
                     "client_context, source, received_ms, attempts, throttles, due_ms, "
                     "taken_until, hops, last_version, last_error, last_response) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")
            .bind(1, event.requestId)
            .bind(2, event.functionName)
            .bind(3, event.qualifier)
            .bindBlob(4, event.payload)
            .bind(5, event.clientContext)
            .bind(6, event.source)
            .bind(7, event.receivedMs)
            .bind(8, event.attempts)
            .bind(9, event.throttles)
            .bind(10, event.dueMs)
            .bind(11, event.hops)
            .bind(12, event.lastVersion)
            .bind(13, event.lastFunctionError)
            .bindBlob(14, event.lastResponse)
            .run();
        return m_impl->db.lastInsertId();
    });
}

Result<std::optional<AsyncEvent>> AsyncInvokeStore::claimDue(std::int64_t nowMs,
                                                             std::int64_t leaseMs)
{
    return detail::guarded("take async event", [&]() -> Result<std::optional<AsyncEvent>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(std::string("SELECT ") + kEventColumns +
                                        " FROM async_events WHERE taken_until <= ?1 AND "
                                        "due_ms <= ?1 ORDER BY due_ms, seq LIMIT 1");
        query.bind(1, nowMs);
        if (!query.step())
            return std::optional<AsyncEvent>();
        AsyncEvent event = eventFrom(query);
        query.reset();
        m_impl->db.prepare("UPDATE async_events SET taken_until = ? WHERE seq = ?")
            .bind(1, nowMs + leaseMs)
            .bind(2, event.seq)
            .run();
        return std::optional<AsyncEvent>(std::move(event));
    });
}

Result<std::optional<std::int64_t>> AsyncInvokeStore::nextDue()
{
    return detail::guarded("read async queue", [&]() -> Result<std::optional<std::int64_t>> {
        std::lock_guard lock(m_impl->mutex);
        // The earliest of an unclaimed event's due time and a claim's lease end (a claimed event
        // was due before it was claimed), each answered from its index, not a scan.
        auto query = m_impl->db.prepare(
            "SELECT MIN(next) FROM ("
            "SELECT MIN(due_ms) AS next FROM async_events WHERE taken_until = 0 UNION ALL "
            "SELECT MIN(taken_until) FROM async_events WHERE taken_until > 0)");
        if (!query.step() || query.isNull(0))
            return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(query.int64(0));
    });
}

Result<void> AsyncInvokeStore::reschedule(const AsyncEvent &event)
{
    return detail::guarded("reschedule async event", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("UPDATE async_events SET attempts = ?, throttles = ?, due_ms = ?, "
                     "taken_until = 0, last_version = ?, last_error = ?, last_response = ? "
                     "WHERE seq = ?")
            .bind(1, event.attempts)
            .bind(2, event.throttles)
            .bind(3, event.dueMs)
            .bind(4, event.lastVersion)
            .bind(5, event.lastFunctionError)
            .bindBlob(6, event.lastResponse)
            .bind(7, event.seq)
            .run();
        return {};
    });
}

Result<void> AsyncInvokeStore::settle(std::int64_t seq)
{
    return detail::guarded("settle async event", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("DELETE FROM async_events WHERE seq = ?").bind(1, seq).run();
        return {};
    });
}

Result<std::size_t> AsyncInvokeStore::pending(const std::string &functionName)
{
    return detail::guarded("count async events", [&]() -> Result<std::size_t> {
        std::lock_guard lock(m_impl->mutex);
        auto query =
            m_impl->db.prepare("SELECT COUNT(*) FROM async_events WHERE function_name = ?");
        query.bind(1, functionName);
        query.step();
        return static_cast<std::size_t>(query.int64(0));
    });
}

Result<void> AsyncInvokeStore::putConfig(const EventInvokeConfig &config)
{
    return detail::guarded("put event invoke config", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare(std::string("INSERT OR REPLACE INTO event_invoke_configs (") + kConfigColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?)")
            .bind(1, config.functionName)
            .bind(2, config.qualifier)
            .bind(3, config.maximumRetryAttempts)
            .bind(4, config.maximumEventAgeInSeconds)
            .bind(5, config.onSuccess)
            .bind(6, config.onFailure)
            .bind(7, config.lastModifiedMs)
            .run();
        return {};
    });
}

Result<std::optional<EventInvokeConfig>> AsyncInvokeStore::config(const std::string &functionName,
                                                                  const std::string &qualifier)
{
    return detail::guarded(
        "get event invoke config", [&]() -> Result<std::optional<EventInvokeConfig>> {
            std::lock_guard lock(m_impl->mutex);
            auto &query = m_impl->db.cached(std::string("SELECT ") + kConfigColumns +
                                            " FROM event_invoke_configs WHERE function_name = ? "
                                            "AND qualifier = ?");
            query.bind(1, functionName).bind(2, qualifier);
            std::optional<EventInvokeConfig> found;
            if (query.step())
                found = configFrom(query);
            query.reset();
            return found;
        });
}

Result<std::vector<EventInvokeConfig>>
AsyncInvokeStore::listConfigs(const std::string &functionName)
{
    return detail::guarded(
        "list event invoke configs", [&]() -> Result<std::vector<EventInvokeConfig>> {
            std::lock_guard lock(m_impl->mutex);
            auto query = m_impl->db.prepare(std::string("SELECT ") + kConfigColumns +
                                            " FROM event_invoke_configs WHERE function_name = ? "
                                            "ORDER BY qualifier");
            query.bind(1, functionName);
            std::vector<EventInvokeConfig> configs;
            while (query.step())
                configs.push_back(configFrom(query));
            return configs;
        });
}

Result<bool> AsyncInvokeStore::removeConfig(const std::string &functionName,
                                            const std::string &qualifier)
{
    return detail::guarded("delete event invoke config", [&]() -> Result<bool> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?")
            .bind(1, functionName)
            .bind(2, qualifier)
            .run();
        return m_impl->db.changes() > 0;
    });
}

} // namespace lambdesk::engine
