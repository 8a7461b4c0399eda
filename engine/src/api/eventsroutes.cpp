// EventBridge's rule and target operations (AWS JSON 1.1, X-Amz-Target: AWSEvents.*), enough of
// them for `aws events` and boto3's events client to manage schedules: PutRule, DescribeRule,
// ListRules, DeleteRule, EnableRule, DisableRule, PutTargets, RemoveTargets, ListTargetsByRule,
// ListRuleNamesByTarget. Shapes as the events model spells them.
#include "api/bodyreader.h"
#include "api/httpexchange.h"
#include "api/jsonprotocol.h"
#include "api/pagination.h"
#include "common/encoding.h"

#include <cstdio>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

json ruleJson(const ScheduleRule &rule)
{
    json out{{"Name", rule.name},
             {"Arn", rule.arn},
             {"State", rule.state},
             {"ScheduleExpression", rule.scheduleExpression},
             {"EventBusName", rule.eventBusName}};
    if (!rule.description.empty())
        out["Description"] = rule.description;
    return out;
}

json failuresJson(const std::vector<TargetFailure> &failures)
{
    json entries = json::array();
    for (const TargetFailure &failure : failures)
        entries.push_back({{"TargetId", failure.targetId},
                           {"ErrorCode", failure.errorCode},
                           {"ErrorMessage", failure.errorMessage}});
    return {{"FailedEntryCount", failures.size()}, {"FailedEntries", std::move(entries)}};
}

Result<std::string> requiredString(BodyReader &reader, const char *key, const char *member)
{
    auto value = reader.string(key);
    if (auto failure = reader.failure())
        return *failure;
    if (!value)
        return validationError("null", member, "Member must not be null");
    return std::move(*value);
}

// Limit (1-100) and NextToken, as the events model pages.
Result<PageRequest> tokenPage(BodyReader &reader)
{
    PageRequest page;
    page.maxItems = 100;
    if (const auto limit = reader.integer("Limit")) {
        if (*limit < 1 || *limit > 100)
            return validationError(std::to_string(*limit), "limit",
                                   "Member must have value between 1 and 100");
        page.maxItems = static_cast<std::size_t>(*limit);
    }
    if (const auto token = reader.string("NextToken")) {
        auto key = common::base64Decode(*token);
        if (!key || key->empty())
            return makeError(ErrorCode::Validation, "The NextToken provided is invalid.");
        page.afterKey = std::move(*key);
    }
    if (auto failure = reader.failure())
        return *failure;
    return page;
}

json tokenPageJson(const char *listKey, std::vector<std::pair<std::string, json>> items,
                   const PageRequest &page)
{
    json out = pageJson(listKey, std::move(items), page);
    if (out.contains("NextMarker")) {
        out["NextToken"] = out["NextMarker"];
        out.erase("NextMarker");
    }
    return out;
}

Result<json> putRule(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    ScheduleRuleInput input;
    const auto name = requiredString(body, "Name", "name");
    if (!name)
        return name.error();
    input.name = *name;
    input.scheduleExpression = body.string("ScheduleExpression").value_or("");
    input.state = body.string("State").value_or("");
    input.description = body.string("Description").value_or("");
    input.eventBusName = body.string("EventBusName").value_or("");
    if (auto failure = body.failure())
        return *failure;
    if (body.has("EventPattern") && input.scheduleExpression.empty())
        return makeError(ErrorCode::Validation,
                         "Parameter EventPattern is not supported here: rules on the local "
                         "default bus fire on a ScheduleExpression (events from AWS services do "
                         "not occur locally).");
    const auto rule = engine.putScheduleRule(input);
    if (!rule)
        return rule.error();
    return json{{"RuleArn", rule->arn}};
}

Result<json> describeRule(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto name = requiredString(body, "Name", "name");
    if (!name)
        return name.error();
    const auto rule = engine.getScheduleRule(*name);
    if (!rule)
        return rule.error();
    json out = ruleJson(*rule);
    out["CreatedBy"] = rule->createdBy;
    return out;
}

Result<json> listRules(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const std::string prefix = body.string("NamePrefix").value_or("");
    const auto page = tokenPage(body);
    if (!page)
        return page.error();
    const auto rules = engine.listScheduleRules(prefix);
    if (!rules)
        return rules.error();
    std::vector<std::pair<std::string, json>> items;
    for (const ScheduleRule &rule : *rules)
        items.emplace_back(rule.name, ruleJson(rule));
    return tokenPageJson("Rules", std::move(items), *page);
}

Result<json> deleteRule(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto name = requiredString(body, "Name", "name");
    if (!name)
        return name.error();
    // Force is for managed rules, which do not exist here: targets still have to go first.
    (void)body.boolean("Force");
    if (auto failure = body.failure())
        return *failure;
    if (auto deleted = engine.deleteScheduleRule(*name); !deleted)
        return deleted.error();
    return json::object();
}

template <bool Enabled>
Result<json> setRuleState(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto name = requiredString(body, "Name", "name");
    if (!name)
        return name.error();
    if (auto rule = engine.setScheduleRuleState(*name, Enabled); !rule)
        return rule.error();
    return json::object();
}

// Targets and Ids are lists; each target is read on its own so a bad member names its place.
Result<json> putTargets(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto rule = requiredString(body, "Rule", "rule");
    if (!rule)
        return rule.error();
    const json &list = request.contains("Targets") ? request["Targets"] : json();
    if (!list.is_array())
        return validationError("null", "targets", "Member must not be null");
    std::vector<ScheduleTarget> targets;
    for (const json &entry : list) {
        if (!entry.is_object())
            return makeError(ErrorCode::InvalidRequestContent, "Each of Targets must be an object");
        BodyReader reader(entry, "Targets.member.");
        ScheduleTarget target;
        target.id = reader.string("Id").value_or("");
        target.arn = reader.string("Arn").value_or("");
        target.input = reader.string("Input").value_or("");
        if (auto failure = reader.failure())
            return *failure;
        if (target.arn.empty())
            return validationError("null", "targets.member.arn", "Member must not be null");
        targets.push_back(std::move(target));
    }
    const auto failures = engine.putScheduleTargets(*rule, targets);
    if (!failures)
        return failures.error();
    return failuresJson(*failures);
}

Result<json> removeTargets(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto rule = requiredString(body, "Rule", "rule");
    if (!rule)
        return rule.error();
    const auto ids = body.stringList("Ids");
    if (auto failure = body.failure())
        return *failure;
    if (!ids || ids->empty())
        return validationError("null", "ids", "Member must not be null");
    const auto failures = engine.removeScheduleTargets(*rule, *ids);
    if (!failures)
        return failures.error();
    return failuresJson(*failures);
}

Result<json> listTargetsByRule(Engine &engine, const json &request,
                               const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto rule = requiredString(body, "Rule", "rule");
    if (!rule)
        return rule.error();
    const auto page = tokenPage(body);
    if (!page)
        return page.error();
    const auto targets = engine.listScheduleTargets(*rule);
    if (!targets)
        return targets.error();
    std::vector<std::pair<std::string, json>> items;
    for (std::size_t i = 0; i < targets->size(); ++i) {
        const ScheduleTarget &target = (*targets)[i];
        json item{{"Id", target.id}, {"Arn", target.arn}};
        if (!target.input.empty())
            item["Input"] = target.input;
        char key[24];
        std::snprintf(key, sizeof key, "%08zu", i); // keeps the rule's order through the page sort
        items.emplace_back(key, std::move(item));
    }
    return tokenPageJson("Targets", std::move(items), *page);
}

Result<json> listRuleNamesByTarget(Engine &engine, const json &request,
                                   const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto arn = requiredString(body, "TargetArn", "targetArn");
    if (!arn)
        return arn.error();
    const auto page = tokenPage(body);
    if (!page)
        return page.error();
    const auto names = engine.listRuleNamesByTarget(*arn);
    if (!names)
        return names.error();
    std::vector<std::pair<std::string, json>> items;
    for (const std::string &name : *names)
        items.emplace_back(name, name);
    return tokenPageJson("RuleNames", std::move(items), *page);
}

} // namespace

const JsonOperations &eventsOperations()
{
    static const JsonOperations operations = {
        {"PutRule", putRule},
        {"DescribeRule", describeRule},
        {"ListRules", listRules},
        {"DeleteRule", deleteRule},
        {"EnableRule", setRuleState<true>},
        {"DisableRule", setRuleState<false>},
        {"PutTargets", putTargets},
        {"RemoveTargets", removeTargets},
        {"ListTargetsByRule", listTargetsByRule},
        {"ListRuleNamesByTarget", listRuleNamesByTarget},
    };
    return operations;
}

} // namespace lambdesk::engine::api
