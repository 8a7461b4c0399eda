#include "store/consolestate.h"

#include "common/clock.h"
#include "store/codetree.h"
#include "store/database.h"
#include "store/storeguard.h"
#include "store/storeoptions.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace lambdesk::engine {

namespace {

constexpr int kMaxTestEvents = 10; // per function, as the console allows
constexpr std::size_t kMaxTestEventName = 25;

Result<void> validateTestEvent(const SavedTestEvent &event)
{
    const bool nameOk =
        !event.name.empty() && event.name.size() <= kMaxTestEventName &&
        std::all_of(event.name.begin(), event.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        });
    if (!nameOk)
        return makeError(ErrorCode::InvalidParameter,
                         "Invalid test event name '" + event.name +
                             "': use 1 to 25 letters, numbers, dots, hyphens and underscores");
    if (!nlohmann::json::accept(event.json))
        return makeError(ErrorCode::InvalidParameter,
                         "Test event '" + event.name + "' is not valid JSON");
    return {};
}

} // namespace

struct ConsoleState::Impl {
    Impl(StoreOptions storeOptions, detail::Database database)
        : options(std::move(storeOptions)), db(std::move(database))
    {
    }

    // Caller holds mutex. The function's own row is the function store's; reading it here, in
    // the same transaction as the write, keeps a deleted function from gaining state (the
    // foreign key refuses it too).
    bool functionExists(const std::string &function)
    {
        auto &query = db.cached("SELECT 1 FROM functions WHERE name = ?");
        query.bind(1, function);
        const bool exists = query.step();
        query.reset();
        return exists;
    }

    // Caller holds mutex. One write to the function's state: NotFound when the function does not
    // exist, committed when `write` succeeds, rolled back otherwise.
    template <class Write> Result<void> changeState(const std::string &function, Write write)
    {
        detail::Transaction transaction(db);
        if (!functionExists(function))
            return detail::functionNotFound(options, function);
        if (Result<void> written = write(); !written)
            return written;
        transaction.commit();
        return {};
    }

    StoreOptions options;
    std::mutex mutex; // guards db
    detail::Database db;
};

ConsoleState::ConsoleState(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

ConsoleState::~ConsoleState() = default;

Result<std::unique_ptr<ConsoleState>> ConsoleState::open(const StoreOptions &options)
{
    return detail::guarded("open console state", [&]() -> Result<std::unique_ptr<ConsoleState>> {
        auto impl =
            std::make_unique<Impl>(options, detail::Database::open(detail::databasePath(options)));
        return std::unique_ptr<ConsoleState>(new ConsoleState(std::move(impl)));
    });
}

Result<std::vector<SavedTestEvent>> ConsoleState::listTestEvents(const std::string &function)
{
    return detail::guarded("list test events", [&]() -> Result<std::vector<SavedTestEvent>> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->functionExists(function))
            return detail::functionNotFound(m_impl->options, function);
        auto query = m_impl->db.prepare(
            "SELECT name, json, shareable FROM test_events WHERE function_name = ? ORDER BY name");
        query.bind(1, function);
        std::vector<SavedTestEvent> events;
        while (query.step())
            events.push_back({query.text(0), query.text(1), query.int64(2) != 0});
        return events;
    });
}

Result<void> ConsoleState::saveTestEvent(const std::string &function, const SavedTestEvent &event)
{
    return detail::guarded("save test event", [&]() -> Result<void> {
        if (auto valid = validateTestEvent(event); !valid)
            return valid;
        std::lock_guard lock(m_impl->mutex);
        return m_impl->changeState(function, [&]() -> Result<void> {
            auto existing = m_impl->db.prepare(
                "SELECT COUNT(*), SUM(name = ?2) FROM test_events WHERE function_name = ?1");
            existing.bind(1, function).bind(2, event.name);
            existing.step();
            const bool replaces = existing.int64(1) > 0;
            if (!replaces && existing.int64(0) >= kMaxTestEvents)
                return makeError(
                    ErrorCode::InvalidParameter,
                    "Function '" + function + "' already has " + std::to_string(kMaxTestEvents) +
                        " saved test events; delete one before saving '" + event.name + "'");
            m_impl->db
                .prepare(
                    "INSERT INTO test_events (function_name, name, json, shareable, created_ms) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (function_name, name) DO UPDATE SET "
                    "json = excluded.json, shareable = excluded.shareable")
                .bind(1, function)
                .bind(2, event.name)
                .bind(3, event.json)
                .bind(4, event.shareable ? 1 : 0)
                .bind(5, common::epochMillis())
                .run();
            return {};
        });
    });
}

Result<void> ConsoleState::deleteTestEvent(const std::string &function,
                                           const std::string &eventName)
{
    return detail::guarded("delete test event", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->changeState(function, [&]() -> Result<void> {
            m_impl->db.prepare("DELETE FROM test_events WHERE function_name = ? AND name = ?")
                .bind(1, function)
                .bind(2, eventName)
                .run();
            if (m_impl->db.changes() == 0)
                return makeError(ErrorCode::NotFound, "Test event '" + eventName +
                                                          "' not found for function '" + function +
                                                          "'");
            return {};
        });
    });
}

Result<std::vector<CodeFile>> ConsoleState::loadDraft(const std::string &function)
{
    return detail::guarded("load draft", [&]() -> Result<std::vector<CodeFile>> {
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->functionExists(function))
            return detail::functionNotFound(m_impl->options, function);
        auto query = m_impl->db.prepare("SELECT path, content, executable FROM draft_files WHERE "
                                        "function_name = ? ORDER BY path");
        query.bind(1, function);
        std::vector<CodeFile> files;
        while (query.step())
            files.push_back({query.text(0), query.text(1), query.int64(2) != 0});
        return files;
    });
}

Result<void> ConsoleState::saveDraft(const std::string &function,
                                     const std::vector<CodeFile> &files)
{
    return detail::guarded("save draft", [&]() -> Result<void> {
        auto entries = detail::entriesFromCodeFiles(files);
        if (!entries)
            return entries.error();
        std::lock_guard lock(m_impl->mutex);
        return m_impl->changeState(function, [&]() -> Result<void> {
            m_impl->db.prepare("DELETE FROM draft_files WHERE function_name = ?")
                .bind(1, function)
                .run();
            auto insert =
                m_impl->db.prepare("INSERT INTO draft_files (function_name, path, content, "
                                   "executable) VALUES (?, ?, ?, ?)");
            for (const detail::TreeEntry &entry : *entries) {
                insert.bind(1, function)
                    .bind(2, entry.path)
                    .bindBlob(3, entry.content)
                    .bind(4, entry.kind == detail::EntryKind::Executable ? 1 : 0)
                    .run();
                insert.reset();
            }
            return {};
        });
    });
}

Result<void> ConsoleState::discardDraft(const std::string &function)
{
    return detail::guarded("discard draft", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->changeState(function, [&]() -> Result<void> {
            m_impl->db.prepare("DELETE FROM draft_files WHERE function_name = ?")
                .bind(1, function)
                .run();
            return {};
        });
    });
}

} // namespace lambdesk::engine
