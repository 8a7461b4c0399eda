// Invocation records, saved test events and editor drafts.
#include "common/clock.h"
#include "store/functionstoreimpl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace lambdesk::engine {

namespace {

constexpr int kMaxTestEvents = 10; // per function, as the console allows
constexpr std::size_t kMaxTestEventName = 25;

const char *statusName(InvocationStatus status)
{
    switch (status) {
    case InvocationStatus::Succeeded: return "Succeeded";
    case InvocationStatus::FunctionError: return "FunctionError";
    case InvocationStatus::TimedOut: return "TimedOut";
    case InvocationStatus::Throttled: return "Throttled";
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

Result<void> validateTestEvent(const SavedTestEvent &event)
{
    const bool nameOk = !event.name.empty() && event.name.size() <= kMaxTestEventName
                        && std::all_of(event.name.begin(), event.name.end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) || c == '-'
                                      || c == '_' || c == '.';
                           });
    if (!nameOk)
        return makeError(ErrorCode::InvalidParameter,
                         "Invalid test event name '" + event.name
                             + "': use 1 to 25 letters, numbers, dots, hyphens and underscores");
    if (!nlohmann::json::accept(event.json))
        return makeError(ErrorCode::InvalidParameter,
                         "Test event '" + event.name + "' is not valid JSON");
    return {};
}

} // namespace

Result<void> FunctionStore::recordInvocation(const InvocationRecord &record)
{
    return detail::guarded("record invocation", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        detail::Transaction transaction(m_impl->db);
        m_impl->db
            .cached("INSERT INTO invocations (request_id, function_name, version, start_time_ms, "
                     "init_duration_ms, duration_ms, billed_duration_ms, memory_size_mb, "
                     "max_memory_used_mb, cold_start, status, error_type, sandbox, invocation_type, restored) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
            .run();
        // Logs sit in their own table so listing thousands of records never reads them.
        m_impl->db.cached("INSERT INTO invocation_logs (invocation_id, log) VALUES (?, ?)")
            .bind(1, m_impl->db.lastInsertId())
            .bind(2, record.log)
            .run();
        transaction.commit();
        return {};
    });
}

std::vector<InvocationRecord> FunctionStore::listInvocations(const InvocationQuery &query)
{
    auto listed = detail::guarded("list invocations", [&]() -> Result<std::vector<InvocationRecord>> {
        std::string sql =
            "SELECT i.request_id, i.function_name, i.version, i.start_time_ms, i.init_duration_ms, "
            "i.duration_ms, i.billed_duration_ms, i.memory_size_mb, i.max_memory_used_mb, "
            "i.cold_start, i.status, i.error_type, i.sandbox, i.invocation_type, i.restored";
        sql += query.withLogs ? ", l.log FROM invocations i LEFT JOIN invocation_logs l "
                                "ON l.invocation_id = i.id"
                              : " FROM invocations i";
        sql += " WHERE i.start_time_ms >= ?1 AND (?2 = 0 OR i.start_time_ms < ?2)";
        if (!query.functionName.empty())
            sql += " AND i.function_name = ?3";
        // With a limit, the newest `limit` records; either way returned oldest first.
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
            if (query.withLogs)
                record.log = statement.text(15);
        }
        if (limited)
            std::reverse(records.begin(), records.end());
        return records;
    });
    return listed ? std::move(*listed) : std::vector<InvocationRecord>{};
}

Result<std::vector<SavedTestEvent>> FunctionStore::listTestEvents(const std::string &function)
{
    return detail::guarded("list test events", [&]() -> Result<std::vector<SavedTestEvent>> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(function))
            return m_impl->notFound(function);
        auto query = m_impl->db.prepare(
            "SELECT name, json, shareable FROM test_events WHERE function_name = ? ORDER BY name");
        query.bind(1, function);
        std::vector<SavedTestEvent> events;
        while (query.step())
            events.push_back({query.text(0), query.text(1), query.int64(2) != 0});
        return events;
    });
}

Result<void> FunctionStore::saveTestEvent(const std::string &function, const SavedTestEvent &event)
{
    return detail::guarded("save test event", [&]() -> Result<void> {
        if (auto valid = validateTestEvent(event); !valid)
            return valid;
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(function))
            return m_impl->notFound(function);
        detail::Transaction transaction(m_impl->db);
        auto existing = m_impl->db.prepare(
            "SELECT COUNT(*), SUM(name = ?2) FROM test_events WHERE function_name = ?1");
        existing.bind(1, function).bind(2, event.name);
        existing.step();
        const bool replaces = existing.int64(1) > 0;
        if (!replaces && existing.int64(0) >= kMaxTestEvents)
            return makeError(ErrorCode::InvalidParameter,
                             "Function '" + function + "' already has "
                                 + std::to_string(kMaxTestEvents)
                                 + " saved test events; delete one before saving '" + event.name + "'");
        m_impl->db
            .prepare("INSERT INTO test_events (function_name, name, json, shareable, created_ms) "
                     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (function_name, name) DO UPDATE SET "
                     "json = excluded.json, shareable = excluded.shareable")
            .bind(1, function)
            .bind(2, event.name)
            .bind(3, event.json)
            .bind(4, event.shareable ? 1 : 0)
            .bind(5, common::epochMillis())
            .run();
        transaction.commit();
        return {};
    });
}

Result<void> FunctionStore::deleteTestEvent(const std::string &function, const std::string &eventName)
{
    return detail::guarded("delete test event", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(function))
            return m_impl->notFound(function);
        m_impl->db.prepare("DELETE FROM test_events WHERE function_name = ? AND name = ?")
            .bind(1, function)
            .bind(2, eventName)
            .run();
        if (m_impl->db.changes() == 0)
            return makeError(ErrorCode::NotFound,
                             "Test event '" + eventName + "' not found for function '" + function + "'");
        return {};
    });
}

Result<std::vector<CodeFile>> FunctionStore::loadDraft(const std::string &function)
{
    return detail::guarded("load draft", [&]() -> Result<std::vector<CodeFile>> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(function))
            return m_impl->notFound(function);
        auto query = m_impl->db.prepare(
            "SELECT path, content, executable FROM draft_files WHERE function_name = ? ORDER BY path");
        query.bind(1, function);
        std::vector<CodeFile> files;
        while (query.step())
            files.push_back({query.text(0), query.text(1), query.int64(2) != 0});
        return files;
    });
}

Result<void> FunctionStore::saveDraft(const std::string &function, const std::vector<CodeFile> &files)
{
    return detail::guarded("save draft", [&]() -> Result<void> {
        auto entries = detail::entriesFromCodeFiles(files);
        if (!entries)
            return entries.error();
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(function))
            return m_impl->notFound(function);
        detail::Transaction transaction(m_impl->db);
        m_impl->db.prepare("DELETE FROM draft_files WHERE function_name = ?").bind(1, function).run();
        auto insert = m_impl->db.prepare(
            "INSERT INTO draft_files (function_name, path, content, executable) VALUES (?, ?, ?, ?)");
        for (const detail::TreeEntry &entry : *entries) {
            insert.bind(1, function)
                .bind(2, entry.path)
                .bindBlob(3, entry.content)
                .bind(4, entry.kind == detail::EntryKind::Executable ? 1 : 0)
                .run();
            insert.reset();
        }
        transaction.commit();
        return {};
    });
}

Result<void> FunctionStore::discardDraft(const std::string &function)
{
    return detail::guarded("discard draft", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->loadFunction(function))
            return m_impl->notFound(function);
        m_impl->db.prepare("DELETE FROM draft_files WHERE function_name = ?").bind(1, function).run();
        return {};
    });
}

} // namespace lambdesk::engine
