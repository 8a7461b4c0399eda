#include "store/foldertriggers.h"

#include "store/database.h"
#include "store/storeguard.h"

#include <nlohmann/json.hpp>

#include <mutex>

namespace lambdesk::engine {

namespace {

constexpr const char *kColumns =
    "id, function_name, qualifier, folder, bucket, events, prefix, suffix, enabled";

FolderTrigger triggerFrom(const detail::Statement &row)
{
    FolderTrigger trigger;
    trigger.id = row.text(0);
    trigger.functionName = row.text(1);
    trigger.qualifier = row.text(2);
    trigger.folder = row.text(3);
    trigger.bucket = row.text(4);
    trigger.events = nlohmann::json::parse(row.text(5)).get<std::vector<std::string>>();
    trigger.prefix = row.text(6);
    trigger.suffix = row.text(7);
    trigger.enabled = row.int64(8) != 0;
    return trigger;
}

} // namespace

struct FolderTriggerStore::Impl {
    explicit Impl(detail::Database database) : db(std::move(database)) {}
    std::mutex mutex; // guards db
    detail::Database db;
};

FolderTriggerStore::FolderTriggerStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

FolderTriggerStore::~FolderTriggerStore() = default;

Result<std::unique_ptr<FolderTriggerStore>>
FolderTriggerStore::open(const std::filesystem::path &database)
{
    return detail::guarded(
        "open folder triggers", [&]() -> Result<std::unique_ptr<FolderTriggerStore>> {
            auto impl = std::make_unique<Impl>(detail::Database::open(database));
            return std::unique_ptr<FolderTriggerStore>(new FolderTriggerStore(std::move(impl)));
        });
}

Result<void> FolderTriggerStore::add(const FolderTrigger &trigger, std::int64_t nowMs)
{
    return detail::guarded("add folder trigger", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare(std::string("INSERT INTO folder_triggers (") + kColumns +
                     ", created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(1, trigger.id)
            .bind(2, trigger.functionName)
            .bind(3, trigger.qualifier)
            .bind(4, trigger.folder)
            .bind(5, trigger.bucket)
            .bind(6, nlohmann::json(trigger.events).dump())
            .bind(7, trigger.prefix)
            .bind(8, trigger.suffix)
            .bind(9, trigger.enabled ? 1 : 0)
            .bind(10, nowMs)
            .run();
        return {};
    });
}

Result<std::vector<FolderTrigger>> FolderTriggerStore::list(const std::string &functionName)
{
    return detail::guarded("list folder triggers", [&]() -> Result<std::vector<FolderTrigger>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(std::string("SELECT ") + kColumns +
                                        " FROM folder_triggers WHERE ?1 = '' OR function_name = "
                                        "?1 ORDER BY created_ms, id");
        query.bind(1, functionName);
        std::vector<FolderTrigger> triggers;
        while (query.step())
            triggers.push_back(triggerFrom(query));
        return triggers;
    });
}

Result<std::optional<FolderTrigger>> FolderTriggerStore::get(const std::string &functionName,
                                                             const std::string &id)
{
    return detail::guarded("get folder trigger", [&]() -> Result<std::optional<FolderTrigger>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(std::string("SELECT ") + kColumns +
                                        " FROM folder_triggers WHERE function_name = ? AND id = ?");
        query.bind(1, functionName).bind(2, id);
        if (!query.step())
            return std::optional<FolderTrigger>();
        return std::optional<FolderTrigger>(triggerFrom(query));
    });
}

Result<void> FolderTriggerStore::setEnabled(const std::string &id, bool enabled)
{
    return detail::guarded("enable folder trigger", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("UPDATE folder_triggers SET enabled = ? WHERE id = ?")
            .bind(1, enabled ? 1 : 0)
            .bind(2, id)
            .run();
        return {};
    });
}

Result<void> FolderTriggerStore::remove(const std::string &id)
{
    return detail::guarded("remove folder trigger", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("DELETE FROM folder_triggers WHERE id = ?").bind(1, id).run();
        return {};
    });
}

Result<std::string> FolderTriggerStore::addBucket(const FolderBucket &bucket, std::int64_t nowMs)
{
    return detail::guarded("add folder bucket", [&]() -> Result<std::string> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db
            .prepare("INSERT OR IGNORE INTO folder_buckets (name, folder, created_ms) "
                     "VALUES (?, ?, ?)")
            .bind(1, bucket.name)
            .bind(2, bucket.folder)
            .bind(3, nowMs)
            .run();
        auto query = m_impl->db.prepare("SELECT folder FROM folder_buckets WHERE name = ?");
        query.bind(1, bucket.name);
        query.step();
        return query.text(0);
    });
}

Result<std::optional<std::string>> FolderTriggerStore::bucketFolder(const std::string &name)
{
    return detail::guarded("get folder bucket", [&]() -> Result<std::optional<std::string>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare("SELECT folder FROM folder_buckets WHERE name = ?");
        query.bind(1, name);
        if (!query.step())
            return std::optional<std::string>();
        return std::optional<std::string>(query.text(0));
    });
}

Result<std::vector<FolderBucket>> FolderTriggerStore::buckets()
{
    return detail::guarded("list folder buckets", [&]() -> Result<std::vector<FolderBucket>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare("SELECT name, folder FROM folder_buckets ORDER BY name");
        std::vector<FolderBucket> buckets;
        while (query.step())
            buckets.push_back(FolderBucket{query.text(0), query.text(1)});
        return buckets;
    });
}

Result<void> FolderTriggerStore::removeBucket(const std::string &name)
{
    return detail::guarded("remove folder bucket", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("DELETE FROM folder_buckets WHERE name = ?").bind(1, name).run();
        return {};
    });
}

} // namespace lambdesk::engine
