#pragma once
// Schedule rules and their targets, rows in SQLite. Rules are the account's, not a function's:
// a target names a function by ARN and outlives it, as in EventBridge. The rules of the API
// (names, expressions, limits) are the engine's; this keeps what it is given.
//
// Thread-safe, with a connection and a lock of its own.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/schedule.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

class ScheduleRuleStore {
public:
    // The data dir's database, whose schema the function store has created.
    static Result<std::unique_ptr<ScheduleRuleStore>> open(const std::filesystem::path &database);
    ~ScheduleRuleStore();
    ScheduleRuleStore(const ScheduleRuleStore &) = delete;
    ScheduleRuleStore &operator=(const ScheduleRuleStore &) = delete;

    // Creates or replaces the rule. The anchor moves to `nowMs` when the rule is new, its
    // expression changes or it goes from DISABLED to ENABLED. Fields arn and createdBy stay empty.
    Result<ScheduleRule> put(const ScheduleRule &rule, std::int64_t nowMs);
    Result<std::optional<ScheduleRule>> get(const std::string &name);
    Result<std::vector<ScheduleRule>> list(const std::string &namePrefix = {});
    Result<void> remove(const std::string &name); // with its targets

    Result<std::vector<ScheduleTarget>> targets(const std::string &rule);
    // Adds or replaces targets by id; `limit` bounds the rule's total (LimitExceededException).
    Result<void> putTargets(const std::string &rule, const std::vector<ScheduleTarget> &targets,
                            std::size_t limit);
    Result<void> removeTargets(const std::string &rule, const std::vector<std::string> &ids);
    // Every (rule, target) whose target ARN is one of `arns`.
    Result<std::vector<ScheduleTrigger>> targeting(const std::vector<std::string> &arns);

private:
    struct Impl;
    explicit ScheduleRuleStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
