#include "store/schedulerules.h"

#include "store/database.h"
#include "store/storeguard.h"

#include <mutex>

namespace lambdesk::engine {

namespace {

constexpr const char *kRuleColumns = "name, expression, state, description, anchor_ms";

ScheduleRule ruleFrom(const detail::Statement &row)
{
    ScheduleRule rule;
    rule.name = row.text(0);
    rule.scheduleExpression = row.text(1);
    rule.state = row.text(2);
    rule.description = row.text(3);
    rule.anchorMs = row.int64(4);
    return rule;
}

// LIKE's wildcards in a name prefix match themselves.
std::string likePrefix(const std::string &prefix)
{
    std::string pattern;
    for (const char c : prefix) {
        if (c == '%' || c == '_' || c == '\\')
            pattern.push_back('\\');
        pattern.push_back(c);
    }
    pattern.push_back('%');
    return pattern;
}

} // namespace

struct ScheduleRuleStore::Impl {
    explicit Impl(detail::Database database) : db(std::move(database)) {}

    std::optional<ScheduleRule> load(const std::string &name)
    {
        auto query = db.prepare(std::string("SELECT ") + kRuleColumns +
                                " FROM schedule_rules WHERE name = ?");
        query.bind(1, name);
        if (!query.step())
            return std::nullopt;
        return ruleFrom(query);
    }

    std::vector<ScheduleTarget> loadTargets(const std::string &rule)
    {
        auto query = db.prepare("SELECT id, arn, input FROM schedule_targets WHERE rule_name = ? "
                                "ORDER BY position, id");
        query.bind(1, rule);
        std::vector<ScheduleTarget> targets;
        while (query.step())
            targets.push_back({query.text(0), query.text(1), query.text(2)});
        return targets;
    }

    std::mutex mutex; // guards db
    detail::Database db;
};

ScheduleRuleStore::ScheduleRuleStore(std::unique_ptr<Impl> impl) : m_impl(std::move(impl))
{
}

ScheduleRuleStore::~ScheduleRuleStore() = default;

Result<std::unique_ptr<ScheduleRuleStore>>
ScheduleRuleStore::open(const std::filesystem::path &database)
{
    return detail::guarded(
        "open schedule rules", [&]() -> Result<std::unique_ptr<ScheduleRuleStore>> {
            auto impl = std::make_unique<Impl>(detail::Database::open(database));
            return std::unique_ptr<ScheduleRuleStore>(new ScheduleRuleStore(std::move(impl)));
        });
}

Result<ScheduleRule> ScheduleRuleStore::put(const ScheduleRule &rule, std::int64_t nowMs)
{
    return detail::guarded("put schedule rule", [&]() -> Result<ScheduleRule> {
        std::lock_guard lock(m_impl->mutex);
        const auto existing = m_impl->load(rule.name);
        std::int64_t anchor = nowMs;
        if (existing && existing->scheduleExpression == rule.scheduleExpression &&
            !(existing->state == kRuleDisabled && rule.state == kRuleEnabled))
            anchor = existing->anchorMs;
        m_impl->db
            .prepare("INSERT INTO schedule_rules (name, expression, state, description, "
                     "anchor_ms, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) "
                     "DO UPDATE SET expression = ?2, state = ?3, description = ?4, "
                     "anchor_ms = ?5")
            .bind(1, rule.name)
            .bind(2, rule.scheduleExpression)
            .bind(3, rule.state)
            .bind(4, rule.description)
            .bind(5, anchor)
            .bind(6, nowMs)
            .run();
        return *m_impl->load(rule.name);
    });
}

Result<std::optional<ScheduleRule>> ScheduleRuleStore::get(const std::string &name)
{
    return detail::guarded("get schedule rule", [&]() -> Result<std::optional<ScheduleRule>> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->load(name);
    });
}

Result<std::vector<ScheduleRule>> ScheduleRuleStore::list(const std::string &namePrefix)
{
    return detail::guarded("list schedule rules", [&]() -> Result<std::vector<ScheduleRule>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(std::string("SELECT ") + kRuleColumns +
                                        " FROM schedule_rules WHERE name LIKE ? ESCAPE '\\' "
                                        "ORDER BY name");
        query.bind(1, likePrefix(namePrefix));
        std::vector<ScheduleRule> rules;
        while (query.step())
            rules.push_back(ruleFrom(query));
        return rules;
    });
}

Result<void> ScheduleRuleStore::remove(const std::string &name)
{
    return detail::guarded("delete schedule rule", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        m_impl->db.prepare("DELETE FROM schedule_rules WHERE name = ?").bind(1, name).run();
        return {};
    });
}

Result<std::vector<ScheduleTarget>> ScheduleRuleStore::targets(const std::string &rule)
{
    return detail::guarded("list schedule targets", [&]() -> Result<std::vector<ScheduleTarget>> {
        std::lock_guard lock(m_impl->mutex);
        return m_impl->loadTargets(rule);
    });
}

Result<void> ScheduleRuleStore::putTargets(const std::string &rule,
                                           const std::vector<ScheduleTarget> &targets,
                                           std::size_t limit)
{
    return detail::guarded("put schedule targets", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        detail::Transaction transaction(m_impl->db);
        auto upsert = m_impl->db.prepare(
            "INSERT INTO schedule_targets (rule_name, id, arn, input, position) VALUES (?1, ?2, "
            "?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM schedule_targets WHERE "
            "rule_name = ?1)) ON CONFLICT (rule_name, id) DO UPDATE SET arn = ?3, input = ?4");
        for (const ScheduleTarget &target : targets) {
            upsert.bind(1, rule).bind(2, target.id).bind(3, target.arn).bind(4, target.input);
            upsert.run();
        }
        if (m_impl->loadTargets(rule).size() > limit)
            return makeError(ErrorCode::LimitExceeded,
                             "The requested resource exceeds the maximum number allowed.");
        transaction.commit();
        return {};
    });
}

Result<void> ScheduleRuleStore::removeTargets(const std::string &rule,
                                              const std::vector<std::string> &ids)
{
    return detail::guarded("remove schedule targets", [&]() -> Result<void> {
        std::lock_guard lock(m_impl->mutex);
        auto remove =
            m_impl->db.prepare("DELETE FROM schedule_targets WHERE rule_name = ? AND id = ?");
        for (const std::string &id : ids) {
            remove.bind(1, rule).bind(2, id);
            remove.run();
        }
        return {};
    });
}

Result<std::vector<ScheduleTrigger>>
ScheduleRuleStore::targeting(const std::vector<std::string> &arns)
{
    return detail::guarded("find schedule targets", [&]() -> Result<std::vector<ScheduleTrigger>> {
        std::lock_guard lock(m_impl->mutex);
        auto query = m_impl->db.prepare(
            "SELECT r.name, r.expression, r.state, r.description, r.anchor_ms, t.id, t.arn, "
            "t.input FROM schedule_targets t JOIN schedule_rules r ON r.name = t.rule_name "
            "WHERE t.arn = ? ORDER BY r.name, t.position");
        std::vector<ScheduleTrigger> found;
        for (const std::string &arn : arns) {
            query.bind(1, arn);
            while (query.step())
                found.push_back({ruleFrom(query), {query.text(5), query.text(6), query.text(7)}});
            query.reset();
        }
        return found;
    });
}

} // namespace lambdesk::engine
