#include "store/invocationlog.h"

#include "store/database.h"
#include "store/storeguard.h"

#include <algorithm>
#include <mutex>

namespace lambdesk::engine {

namespace {

const char *statusName(InvocationStatus status)
{
    switch (status) {
    case InvocationStatus::Succeeded:
        return "Succeeded";
    case InvocationStatus::FunctionError:
        return "FunctionError";
    case InvocationStatus::TimedOut:
        return "TimedOut";
    case InvocationStatus::Throttled:
        return "Throttled";
    }
    return "Succeeded";
}

InvocationStatus statusFrom(const std::string &name)
{
    if (name == "FunctionError")
        return InvocationStatus::FunctionError;
    if (name == "TimedOut")
        return InvocationStatus::TimedOut;
    if (name == "Throttled")
        return InvocationStatus::Throttled;
    return InvocationStatus::Succeeded;
}

} // namespace

struct InvocationLog::Impl {
    explicit Impl(detail::Database database) : db(std::move(database)) {}
    std::mutex mutex; // guards db
    detail::Database db;
};

InvocationLog::InvocationLog(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

InvocationLog::~InvocationLog() = default;

Result<std::unique_ptr<InvocationLog>> InvocationLog::open(const std::filesystem::path &database)
{
    return detail::guarded("open invocation log", [&]() -> Result<std::unique_ptr<InvocationLog>> {
        auto impl = std::make_unique<Impl>(detail::Database::open(database));
        return std::unique_ptr<InvocationLog>(new InvocationLog(std::move(impl)));
    });
}

Result<void> InvocationLog::record(const InvocationRecord &record)
{
    return detail::guarded("record invocation", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        detail::Transaction transaction(m_impl->db);
        m_impl->db
            .cached("INSERT INTO invocations (request_id, function_name, version, start_time_ms, "
                    "init_duration_ms, duration_ms, billed_duration_ms, memory_size_mb, "
                    "max_memory_used_mb, cold_start, status, error_type, sandbox, invocation_type, "
                    "restored, alias, source) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, record.requestId)
            .bind(2, record.functionName)
            .bind(3, record.version)
            .bind(4, record.startTimeMs)
            .bind(5, record.initDurationMs)
            .bind(6, record.durationMs)
            .bind(7, record.billedDurationMs)
            .bind(8, record.memorySizeMb)
            .bind(9, record.maxMemoryUsedMb)
            .bind(10, record.coldStart ? 1 : 0)
            .bind(11, std::string_view(statusName(record.status)))
            .bind(12, record.errorType)
            .bind(13, record.sandbox)
            .bind(14, record.invocationType)
            .bind(15, record.restored ? 1 : 0)
            .bind(16, record.alias)
            .bind(17, record.source)
            .run();
        m_impl->db.cached("INSERT INTO invocation_logs (invocation_id, log) VALUES (?, ?)")
            .bind(1, m_impl->db.lastInsertId())
            .bind(2, record.log)
            .run();
        transaction.commit();
        return {};
    });
}

std::vector<InvocationRecord> InvocationLog::list(const InvocationQuery &query)
{
    auto listed =
        detail::guarded("list invocations", [&]() -> Result<std::vector<InvocationRecord>> {
            std::string sql =
                "SELECT i.request_id, i.function_name, i.version, i.start_time_ms, "
                "i.init_duration_ms, "
                "i.duration_ms, i.billed_duration_ms, i.memory_size_mb, i.max_memory_used_mb, "
                "i.cold_start, i.status, i.error_type, i.sandbox, i.invocation_type, i.restored, "
                "i.alias, i.source";
            sql += query.withLogs ? ", l.log FROM invocations i LEFT JOIN invocation_logs l "
                                    "ON l.invocation_id = i.id"
                                  : " FROM invocations i";
            sql += " WHERE i.start_time_ms >= ?1 AND (?2 = 0 OR i.start_time_ms < ?2)";
            if (!query.functionName.empty())
                sql += " AND i.function_name = ?3";
            if (!query.version.empty())
                sql += " AND i.version = ?5";
            if (!query.alias.empty())
                sql += " AND i.alias = ?6";
            const bool limited = query.limit > 0;
            sql += limited ? " ORDER BY i.start_time_ms DESC, i.id DESC LIMIT ?4"
                           : " ORDER BY i.start_time_ms, i.id";

            std::lock_guard lock(m_impl->mutex);
            auto statement = m_impl->db.prepare(sql);
            statement.bind(1, query.sinceMs).bind(2, query.untilMs);
            if (!query.functionName.empty())
                statement.bind(3, query.functionName);
            if (limited)
                statement.bind(4, query.limit);
            if (!query.version.empty())
                statement.bind(5, query.version);
            if (!query.alias.empty())
                statement.bind(6, query.alias);
            std::vector<InvocationRecord> records;
            while (statement.step()) {
                InvocationRecord &record = records.emplace_back();
                record.requestId = statement.text(0);
                record.functionName = statement.text(1);
                record.version = statement.text(2);
                record.startTimeMs = statement.int64(3);
                record.initDurationMs = statement.real(4);
                record.durationMs = statement.real(5);
                record.billedDurationMs = statement.int64(6);
                record.memorySizeMb = statement.int32(7);
                record.maxMemoryUsedMb = statement.int32(8);
                record.coldStart = statement.int64(9) != 0;
                record.status = statusFrom(statement.text(10));
                record.errorType = statement.text(11);
                record.sandbox = statement.text(12);
                record.invocationType = statement.text(13);
                record.restored = statement.int64(14) != 0;
                record.alias = statement.text(15);
                record.source = statement.text(16);
                if (query.withLogs)
                    record.log = statement.text(17);
            }
            if (limited)
                std::reverse(records.begin(), records.end());
            return records;
        });
    return listed ? std::move(*listed) : std::vector<InvocationRecord>{};
}

} // namespace lambdesk::engine
