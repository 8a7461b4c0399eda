// The Engine facade's schedule operations: EventBridge's rule and target rules (names, states,
// limits, the default bus), the console's Add trigger, and what a fire does: invoke each function
// target asynchronously with the Scheduled Event, if its policy lets the rule.
#include "common/clock.h"
#include "common/random.h"
#include "core/engineimpl.h"
#include "core/policyrules.h"
#include "store/schedulerules.h"
#include "triggers/scheduledevent.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <regex>
#include <set>

namespace lambdesk::engine {

namespace {

constexpr const char *kNamePattern = "[\\.\\-_A-Za-z0-9]+";

// A rule name or a target id: 1-64 of [.-_A-Za-z0-9].
Result<void> validateName(const std::string &value, const char *member)
{
    static const std::regex pattern(kNamePattern);
    if (value.empty() || value.size() > kMaxRuleNameLength)
        return constraintError(value, member,
                               "Member must have length between 1 and " +
                                   std::to_string(kMaxRuleNameLength));
    if (!std::regex_match(value, pattern))
        return constraintError(value, member,
                               std::string("Member must satisfy regular expression pattern: ") +
                                   kNamePattern);
    return {};
}

Error ruleNotFound(const std::string &name)
{
    return makeError(ErrorCode::NotFound,
                     "Rule " + name + " does not exist on EventBus " + kDefaultEventBus + ".");
}

// The Add trigger's permission: one statement per rule, so removing the trigger can find it.
std::string triggerStatementId(const std::string &rule)
{
    std::string id = "lambdesk-events-";
    id.append(rule);
    return id;
}

// A target's function and the qualifier whose policy governs it ($LATEST is the function's).
std::optional<FunctionRef> targetFunction(const std::string &arn)
{
    if (!arn.starts_with("arn:aws:lambda:"))
        return std::nullopt;
    auto ref = parseFunctionRef(arn);
    if (!ref)
        return std::nullopt;
    if (ref->qualifier == "$LATEST")
        ref->qualifier.clear();
    return *ref;
}

} // namespace

std::int64_t Engine::Impl::now() const
{
    return options.clock ? options.clock() : common::epochMillis();
}

void Engine::Impl::decorate(ScheduleRule &rule) const
{
    rule.arn = "arn:aws:events:" + options.region + ":" + options.accountId + ":rule/" + rule.name;
    rule.createdBy = options.accountId;
}

Result<ScheduleRule> Engine::Impl::existingRule(const std::string &name)
{
    auto rule = store->scheduleRules().get(name);
    if (!rule)
        return rule.error();
    if (!*rule)
        return ruleNotFound(name);
    decorate(**rule);
    return std::move(**rule);
}

void Engine::Impl::refreshSchedules()
{
    // Read and hand over as one step: an older read applied after a newer one would revive a
    // rule just disabled.
    std::lock_guard lock(schedulesMutex);
    auto rules = store->scheduleRules().list();
    if (!rules)
        return;
    for (ScheduleRule &rule : *rules)
        decorate(rule);
    scheduler->setRules(*rules);
}

bool Engine::Impl::targetPermitted(const ScheduleRule &rule, const std::string &targetArn)
{
    const auto function = targetFunction(targetArn);
    if (!function)
        return false;
    const auto policy = store->getPolicy(function->name, function->qualifier);
    return policy &&
           allowsServiceInvoke(policy->policy, kEventsPrincipal, rule.arn, options.accountId);
}

void Engine::Impl::fireSchedule(const triggers::ScheduledFire &fire)
{
    // The rule as the store has it now: changed or disabled since the scheduler was told, it
    // does not fire this time.
    const auto current = store->scheduleRules().get(fire.rule.name);
    if (!current || !*current || (*current)->state != kRuleEnabled ||
        (*current)->scheduleExpression != fire.rule.scheduleExpression)
        return;
    const auto targets = store->scheduleRules().targets(fire.rule.name);
    if (!targets)
        return;
    for (const ScheduleTarget &target : *targets) {
        if (!targetPermitted(fire.rule, target.arn)) {
            std::fprintf(stderr,
                         "lambdesk: rule %s did not invoke %s: the function's policy does not let "
                         "%s invoke it for the rule\n",
                         fire.rule.name.c_str(), target.arn.c_str(), kEventsPrincipal);
            continue;
        }
        InvokeRequest request;
        request.functionName = target.arn;
        request.type = InvocationType::Event;
        request.source = std::string(kInvocationSourceSchedule);
        request.payload =
            target.input.empty()
                ? triggers::scheduledEvent(fire.rule, {common::newUuid(), options.region,
                                                       options.accountId, fire.fireMs})
                : target.input;
        if (auto invoked = invoke(request); !invoked)
            std::fprintf(stderr, "lambdesk: rule %s could not invoke %s: %s\n",
                         fire.rule.name.c_str(), target.arn.c_str(),
                         invoked.error().message.c_str());
    }
}

void Engine::Impl::startSchedules()
{
    scheduler = std::make_unique<triggers::Scheduler>(
        [this] { return now(); },
        [this](const triggers::ScheduledFire &fire) { fireSchedule(fire); });
    refreshSchedules();
    scheduler->start();
}

Result<ScheduleRule> Engine::putScheduleRule(const ScheduleRuleInput &input)
{
    if (auto valid = validateName(input.name, "name"); !valid)
        return valid.error();
    const std::string defaultBusArn = "arn:aws:events:" + m_impl->options.region + ":" +
                                      m_impl->options.accountId + ":event-bus/default";
    if (!input.eventBusName.empty() && input.eventBusName != kDefaultEventBus &&
        input.eventBusName != defaultBusArn)
        return makeError(ErrorCode::NotFound,
                         "Event bus " + input.eventBusName + " does not exist.");
    if (input.scheduleExpression.empty())
        return makeError(ErrorCode::Validation,
                         "Parameter(s) ScheduleExpression or EventPattern must be specified.");
    if (auto valid = validateScheduleExpression(input.scheduleExpression); !valid)
        return valid.error();
    if (!input.state.empty() && input.state != kRuleEnabled && input.state != kRuleDisabled)
        return constraintError(input.state, "state",
                               "Member must satisfy enum value set: [ENABLED, DISABLED]");
    if (input.description.size() > kMaxRuleDescriptionLength)
        return constraintError(input.description, "description",
                               "Member must have length less than or equal to " +
                                   std::to_string(kMaxRuleDescriptionLength));
    // PutRule replaces the rule: what it leaves out is not kept (AWS: "the old values for those
    // arguments are not kept"), and a rule is ENABLED unless it says otherwise.
    ScheduleRule rule;
    rule.name = input.name;
    rule.scheduleExpression = input.scheduleExpression;
    rule.description = input.description;
    rule.state = input.state.empty() ? std::string(kRuleEnabled) : input.state;
    auto stored = m_impl->store->scheduleRules().put(rule, m_impl->now());
    if (!stored)
        return stored.error();
    m_impl->decorate(*stored);
    m_impl->refreshSchedules();
    return stored;
}

Result<ScheduleRule> Engine::getScheduleRule(const std::string &name)
{
    return m_impl->existingRule(name);
}

Result<std::vector<ScheduleRule>> Engine::listScheduleRules(const std::string &namePrefix)
{
    auto rules = m_impl->store->scheduleRules().list(namePrefix);
    if (rules)
        for (ScheduleRule &rule : *rules)
            m_impl->decorate(rule);
    return rules;
}

Result<void> Engine::deleteScheduleRule(const std::string &name)
{
    auto &rules = m_impl->store->scheduleRules();
    const auto existing = rules.get(name);
    if (!existing)
        return existing.error();
    if (!*existing)
        return {};
    const auto targets = rules.targets(name);
    if (!targets)
        return targets.error();
    if (!targets->empty())
        return makeError(ErrorCode::Validation, "Rule can't be deleted since it has targets.");
    if (auto removed = rules.remove(name); !removed)
        return removed;
    m_impl->refreshSchedules();
    return {};
}

Result<ScheduleRule> Engine::setScheduleRuleState(const std::string &name, bool enabled)
{
    auto rule = m_impl->existingRule(name);
    if (!rule)
        return rule.error();
    rule->state = std::string(enabled ? kRuleEnabled : kRuleDisabled);
    auto stored = m_impl->store->scheduleRules().put(*rule, m_impl->now());
    if (!stored)
        return stored.error();
    m_impl->decorate(*stored);
    m_impl->refreshSchedules();
    return stored;
}

Result<std::vector<TargetFailure>>
Engine::putScheduleTargets(const std::string &rule, const std::vector<ScheduleTarget> &targets)
{
    if (auto existing = m_impl->existingRule(rule); !existing)
        return existing.error();
    if (targets.empty() || targets.size() > kMaxTargetsPerRule)
        return constraintError("[...]", "targets",
                               "Member must have length between 1 and " +
                                   std::to_string(kMaxTargetsPerRule));
    std::vector<ScheduleTarget> accepted;
    std::vector<TargetFailure> failures;
    for (const ScheduleTarget &target : targets) {
        if (auto valid = validateName(target.id, "targets.member.id"); !valid)
            return valid.error();
        if (target.input.size() > kMaxTargetInputLength)
            return constraintError(target.input.substr(0, 64) + "...", "targets.member.input",
                                   "Member must have length less than or equal to " +
                                       std::to_string(kMaxTargetInputLength));
        if (!target.input.empty() && !nlohmann::json::accept(target.input))
            return makeError(ErrorCode::Validation,
                             "Input for target " + target.id + " is not valid JSON text.");
        if (!targetFunction(target.arn)) {
            failures.push_back({target.id, "ValidationException",
                                "Schedules here deliver to functions only; " + target.arn +
                                    " is not a function ARN."});
            continue;
        }
        accepted.push_back(target);
    }
    if (!accepted.empty())
        if (auto put =
                m_impl->store->scheduleRules().putTargets(rule, accepted, kMaxTargetsPerRule);
            !put)
            return put.error();
    return failures;
}

Result<std::vector<TargetFailure>>
Engine::removeScheduleTargets(const std::string &rule, const std::vector<std::string> &ids)
{
    if (auto existing = m_impl->existingRule(rule); !existing)
        return existing.error();
    if (auto removed = m_impl->store->scheduleRules().removeTargets(rule, ids); !removed)
        return removed.error();
    return std::vector<TargetFailure>{};
}

Result<std::vector<ScheduleTarget>> Engine::listScheduleTargets(const std::string &rule)
{
    if (auto existing = m_impl->existingRule(rule); !existing)
        return existing.error();
    return m_impl->store->scheduleRules().targets(rule);
}

Result<std::vector<std::string>> Engine::listRuleNamesByTarget(const std::string &targetArn)
{
    const auto found = m_impl->store->scheduleRules().targeting({targetArn});
    if (!found)
        return found.error();
    std::vector<std::string> names;
    for (const ScheduleTrigger &trigger : *found)
        if (names.empty() || names.back() != trigger.rule.name)
            names.push_back(trigger.rule.name);
    return names;
}

Result<ScheduleTrigger> Engine::addScheduleTrigger(const std::string &functionName,
                                                   const std::string &qualifier,
                                                   const ScheduleRuleInput &input)
{
    const auto function = getFunction(functionName, qualifier);
    if (!function)
        return function.error();
    const bool createsRule = !input.scheduleExpression.empty();
    if (createsRule) {
        const auto existing = m_impl->store->scheduleRules().get(input.name);
        if (!existing)
            return existing.error();
        if (*existing)
            return makeError(ErrorCode::Conflict, "Rule " + input.name +
                                                      " already exists. Choose another name, or "
                                                      "add the function to it as a target.");
    }
    auto rule = createsRule ? putScheduleRule(input) : getScheduleRule(input.name);
    if (!rule)
        return rule.error();
    // A rule made here goes again if the rest fails: no half-added trigger stays behind.
    const auto undo = [&](const Error &error) -> Error {
        if (createsRule)
            (void)deleteScheduleRule(rule->name);
        return error;
    };
    const auto target = targetFunction(function->functionArn);
    PermissionRequest permission;
    permission.statementId = triggerStatementId(rule->name);
    permission.action = std::string("lambda:InvokeFunction");
    permission.principal = std::string(kEventsPrincipal);
    permission.sourceArn = rule->arn;
    if (!m_impl->targetPermitted(*rule, function->functionArn)) {
        auto added = m_impl->store->addPermission(target->name, target->qualifier, permission);
        if (!added)
            return undo(added.error());
    }
    std::string targetId = target->name;
    if (!target->qualifier.empty())
        targetId.append("-").append(target->qualifier);
    targetId.resize(std::min(targetId.size(), kMaxTargetIdLength));
    ScheduleTarget scheduleTarget{targetId, function->functionArn, {}};
    if (auto put = putScheduleTargets(rule->name, {scheduleTarget}); !put)
        return undo(put.error());
    return ScheduleTrigger{*rule, scheduleTarget, true};
}

Result<std::vector<ScheduleTrigger>> Engine::listScheduleTriggers(const std::string &functionName)
{
    const auto function = getFunction(functionName);
    if (!function)
        return function.error();
    const std::string &base = function->functionArn;
    std::vector<std::string> arns{base, base + ":$LATEST"};
    if (auto aliases = listAliases(function->config.name))
        for (const AliasInfo &alias : *aliases)
            arns.push_back(alias.aliasArn);
    if (auto versions = listVersions(function->config.name))
        for (const FunctionInfo &version : *versions)
            if (version.version != "$LATEST")
                arns.push_back(base + ":" + version.version);
    auto found = m_impl->store->scheduleRules().targeting(arns);
    if (!found)
        return found.error();
    for (ScheduleTrigger &trigger : *found) {
        m_impl->decorate(trigger.rule);
        trigger.permitted = m_impl->targetPermitted(trigger.rule, trigger.target.arn);
    }
    return found;
}

Result<void> Engine::removeScheduleTrigger(const std::string &functionName, const std::string &rule)
{
    const auto triggers = listScheduleTriggers(functionName);
    if (!triggers)
        return triggers.error();
    std::vector<std::string> ids;
    std::set<std::string> qualifiers;
    for (const ScheduleTrigger &trigger : *triggers) {
        if (trigger.rule.name != rule)
            continue;
        ids.push_back(trigger.target.id);
        qualifiers.insert(targetFunction(trigger.target.arn)->qualifier);
    }
    if (ids.empty())
        return ruleNotFound(rule);
    if (auto removed = m_impl->store->scheduleRules().removeTargets(rule, ids); !removed)
        return removed;
    const std::string name = parseFunctionRef(functionName)->name;
    for (const std::string &qualifier : qualifiers) {
        auto removed =
            m_impl->store->removePermission(name, qualifier, triggerStatementId(rule), {});
        if (!removed && removed.error().code != ErrorCode::NotFound)
            return removed;
    }
    return {};
}

} // namespace lambdesk::engine
