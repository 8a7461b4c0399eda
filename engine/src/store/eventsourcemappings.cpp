#include "store/eventsourcemappings.h"

#include "store/database.h"
#include "store/storeguard.h"

#include <nlohmann/json.hpp>

#include <mutex>

namespace lambdesk::engine {

namespace {

constexpr const char *kColumns =
    "uuid, function_name, qualifier, source_arn, enabled, batch_size, window_seconds, filters, "
    "response_types, max_concurrency, modified_ms";

EventSourceMapping mappingFrom(const detail::Statement &row)
{
    EventSourceMapping mapping;
    mapping.uuid = row.text(0);
    mapping.functionName = row.text(1);
    mapping.qualifier = row.text(2);
    mapping.eventSourceArn = row.text(3);
    mapping.enabled = row.int64(4) != 0;
    mapping.batchSize = row.int32(5);
    mapping.maximumBatchingWindowSeconds = row.int32(6);
    mapping.filterPatterns = nlohmann::json::parse(row.text(7)).get<std::vector<std::string>>();
    mapping.functionResponseTypes =
        nlohmann::json::parse(row.text(8)).get<std::vector<std::string>>();
    if (!row.isNull(9))
        mapping.maximumConcurrency = row.int32(9);
    mapping.lastModifiedMs = row.int64(10);
    return mapping;
}

} // namespace

struct EventSourceMappingStore::Impl {
    explicit Impl(detail::Database database) : db(std::move(database)) {}
    std::mutex mutex; // guards db
    detail::Database db;
};

EventSourceMappingStore::EventSourceMappingStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

EventSourceMappingStore::~EventSourceMappingStore() = default;

Result<std::unique_ptr<EventSourceMappingStore>>
EventSourceMappingStore::open(const std::filesystem::path &database)
{
    return detail::guarded("open event source mappings",
                           [&]() -> Result<std::unique_ptr<EventSourceMappingStore>> {
                               auto impl = std::make_unique<Impl>(detail::Database::open(database));
                               return std::unique_ptr<EventSourceMappingStore>(
                                   new EventSourceMappingStore(std::move(impl)));
                           });
}

Result<void> EventSourceMappingStore::put(const EventSourceMapping &mapping)
{
    return detail::guarded("put event source mapping", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare(std::string("INSERT OR REPLACE INTO event_source_mappings (") + kColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, mapping.uuid)
            .bind(2, mapping.functionName)
            .bind(3, mapping.qualifier)
            .bind(4, mapping.eventSourceArn)
            .bind(5, mapping.enabled ? 1 : 0)
            .bind(6, mapping.batchSize)
            .bind(7, mapping.maximumBatchingWindowSeconds)
            .bind(8, nlohmann::json(mapping.filterPatterns).dump())
            .bind(9, nlohmann::json(mapping.functionResponseTypes).dump())
            .bind(10, mapping.maximumConcurrency)
            .bind(11, mapping.lastModifiedMs)
            .run();
        return {};
    });
}

Result<std::optional<EventSourceMapping>> EventSourceMappingStore::get(const std::string &uuid)
{
    return detail::guarded(
        "get event source mapping", [&]() -> Result<std::optional<EventSourceMapping>> {
            std::lock_guard lock(m_impl->mutex);
            auto query = m_impl->db.prepare(std::string("SELECT ") + kColumns +
                                            " FROM event_source_mappings WHERE uuid = ?");
            query.bind(1, uuid);
            if (!query.step())
                return std::optional<EventSourceMapping>();
            return std::optional<EventSourceMapping>(mappingFrom(query));
        });
}

Result<std::vector<EventSourceMapping>>
EventSourceMappingStore::list(const std::string &functionName, const std::string &sourceArn)
{
    return detail::guarded(
        "list event source mappings", [&]() -> Result<std::vector<EventSourceMapping>> {
            std::lock_guard lock(m_impl->mutex);
            auto query = m_impl->db.prepare(
                std::string("SELECT ") + kColumns +
                " FROM event_source_mappings WHERE (?1 = '' OR function_name = ?1) AND "
                "(?2 = '' OR source_arn = ?2) ORDER BY uuid");
            query.bind(1, functionName).bind(2, sourceArn);
            std::vector<EventSourceMapping> mappings;
            while (query.step())
                mappings.push_back(mappingFrom(query));
            return mappings;
        });
}

Result<void> EventSourceMappingStore::remove(const std::string &uuid)
{
    return detail::guarded("delete event source mapping", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("DELETE FROM event_source_mappings WHERE uuid = ?").bind(1, uuid).run();
        return {};
    });
}

} // namespace lambdesk::engine
