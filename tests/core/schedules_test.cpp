// Schedules through the Engine facade, on a clock the test moves: a rule fires its function with
// the Scheduled Event only when the function's policy lets it, a disabled rule and a restart do
// not make up missed fires, and the API's rules (targets, limits, deleting) hold.
#include "enginefixture.h"

#include <nlohmann/json.hpp>

#include <atomic>

namespace lambdesk::engine::testing {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kTen = 1'796'551'200'000; // 2026-12-06T10:00:00Z

// Prints the event it gets, so the record's log shows what arrived.
constexpr const char *kPrintEvent = R"(import json
def handler(event, context):
    print("EVENT " + json.dumps(event))
    return "ok"
)";

class Schedules : public EngineFixture {
protected:
    EngineOptions engineOptions() override
    {
        EngineOptions options = EngineFixture::engineOptions();
        options.clock = [this] { return m_now.load(); };
        return options;
    }

    std::vector<InvocationRecord> scheduledRuns(const std::string &function)
    {
        InvocationQuery query;
        query.functionName = function;
        query.withLogs = true;
        std::vector<InvocationRecord> runs;
        for (auto &record : engine->listInvocations(query))
            if (record.source == kInvocationSourceSchedule)
                runs.push_back(std::move(record));
        return runs;
    }

    ScheduleRuleInput everyMinute(const std::string &name)
    {
        ScheduleRuleInput input;
        input.name = name;
        input.scheduleExpression = "rate(1 minute)";
        return input;
    }

    std::atomic<std::int64_t> m_now{kTen};
};

TEST_F(Schedules, AddTriggerFiresTheScheduledEventOnTime)
{
    makePython("tick", kPrintEvent);
    const auto trigger = engine->addScheduleTrigger("tick", {}, everyMinute("tick-every-minute"));
    ASSERT_TRUE(trigger.ok()) << trigger.error().message;
    EXPECT_TRUE(trigger->permitted);
    EXPECT_EQ(trigger->rule.arn, "arn:aws:events:us-east-1:000000000000:rule/tick-every-minute");
    const auto policy = engine->getPolicy("tick");
    ASSERT_TRUE(policy.ok());
    EXPECT_NE(policy->policy.find("events.amazonaws.com"), std::string::npos);

    m_now = kTen + kMinute;
    ASSERT_TRUE(waitUntil([&] { return !scheduledRuns("tick").empty(); }, std::chrono::seconds(60)))
        << "the rule did not fire";
    const auto runs = scheduledRuns("tick");
    ASSERT_EQ(runs.size(), 1U);
    EXPECT_EQ(runs[0].invocationType, "Event");
    EXPECT_EQ(runs[0].status, InvocationStatus::Succeeded) << runs[0].log;
    const auto line = runs[0].log.find("EVENT ");
    ASSERT_NE(line, std::string::npos) << runs[0].log;
    const auto event = nlohmann::json::parse(
        runs[0].log.substr(line + 6, runs[0].log.find('\n', line) - line - 6));
    EXPECT_EQ(event["detail-type"], "Scheduled Event");
    EXPECT_EQ(event["source"], "aws.events");
    EXPECT_EQ(event["time"], "2026-12-06T10:01:00Z");
    EXPECT_EQ(event["resources"][0], trigger->rule.arn);
    EXPECT_EQ(event["detail"], nlohmann::json::object());

    const auto listed = engine->listScheduleTriggers("tick");
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_EQ((*listed)[0].rule.name, "tick-every-minute");
}

TEST_F(Schedules, ARuleWithoutPermissionDoesNotInvoke)
{
    const FunctionInfo function = makePython("locked", kPrintEvent);
    ASSERT_TRUE(engine->putScheduleRule(everyMinute("no-permission")).ok());
    const auto put = engine->putScheduleTargets(
        "no-permission", {{"t1", function.functionArn, R"({"constant": true})"}});
    ASSERT_TRUE(put.ok()) << put.error().message;
    EXPECT_TRUE(put->empty());
    const auto listed = engine->listScheduleTriggers("locked");
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_FALSE((*listed)[0].permitted);

    m_now = kTen + kMinute;
    // A permitted rule beside it fires: once it has, the unpermitted one has had its chance too.
    makePython("witness", kPrintEvent);
    ASSERT_TRUE(engine->addScheduleTrigger("witness", {}, everyMinute("witness-rule")).ok());
    m_now = kTen + 2 * kMinute;
    ASSERT_TRUE(
        waitUntil([&] { return !scheduledRuns("witness").empty(); }, std::chrono::seconds(60)));
    EXPECT_TRUE(scheduledRuns("locked").empty());

    // AddPermission for the rule, as `aws lambda add-permission` does: then its constant Input.
    PermissionRequest permission;
    permission.statementId = "allow-rule";
    permission.action = "lambda:InvokeFunction";
    permission.principal = kEventsPrincipal;
    permission.sourceArn = "arn:aws:events:us-east-1:000000000000:rule/no-*";
    ASSERT_TRUE(engine->addPermission("locked", {}, permission).ok());
    m_now = kTen + 3 * kMinute;
    ASSERT_TRUE(
        waitUntil([&] { return !scheduledRuns("locked").empty(); }, std::chrono::seconds(60)));
    EXPECT_NE(scheduledRuns("locked")[0].log.find(R"(EVENT {"constant": true})"), std::string::npos)
        << scheduledRuns("locked")[0].log;
}

TEST_F(Schedules, DisabledRulesAndRestartsDoNotReplay)
{
    makePython("nightly", kPrintEvent);
    makePython("witness", kPrintEvent);
    ASSERT_TRUE(engine->addScheduleTrigger("nightly", {}, everyMinute("nightly-rule")).ok());
    ASSERT_TRUE(engine->setScheduleRuleState("nightly-rule", false).ok());
    // A rule beside it that stays enabled: once it has fired, the disabled one had its chance.
    ASSERT_TRUE(engine->addScheduleTrigger("witness", {}, everyMinute("witness-rule")).ok());
    m_now = kTen + 10 * kMinute;
    ASSERT_TRUE(
        waitUntil([&] { return !scheduledRuns("witness").empty(); }, std::chrono::seconds(60)));
    EXPECT_TRUE(scheduledRuns("nightly").empty()) << "a disabled rule does not fire";

    // The engine stops; an hour passes; it opens again and the rule is enabled.
    reopenEngine();
    m_now = kTen + 70 * kMinute + 5'000;
    const auto enabled = engine->setScheduleRuleState("nightly-rule", true);
    ASSERT_TRUE(enabled.ok());
    EXPECT_EQ(enabled->anchorMs, kTen + 70 * kMinute + 5'000) << "enabling restarts the rate";
    reopenEngine();
    m_now = kTen + 71 * kMinute + 5'000;
    ASSERT_TRUE(
        waitUntil([&] { return !scheduledRuns("nightly").empty(); }, std::chrono::seconds(60)));
    m_now = kTen + 72 * kMinute + 5'000;
    ASSERT_TRUE(
        waitUntil([&] { return scheduledRuns("nightly").size() >= 2; }, std::chrono::seconds(60)));
    const auto runs = scheduledRuns("nightly");
    ASSERT_EQ(runs.size(), 2U) << "one fire per due time, none for the 70 minutes missed";
    EXPECT_NE(runs[0].log.find(R"("time": "2026-12-06T11:11:05Z")"), std::string::npos)
        << runs[0].log;
    EXPECT_NE(runs[1].log.find(R"("time": "2026-12-06T11:12:05Z")"), std::string::npos)
        << runs[1].log;
}

TEST_F(Schedules, RulesAndTargetsFollowEventBridgesRules)
{
    ScheduleRuleInput bad = everyMinute("bad name");
    auto refused = engine->putScheduleRule(bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::Validation);
    EXPECT_NE(refused.error().message.find("regular expression pattern"), std::string::npos);
    bad = everyMinute("rule");
    bad.scheduleExpression = "rate(1 minutes)";
    EXPECT_EQ(engine->putScheduleRule(bad).error().code, ErrorCode::Validation);
    bad.scheduleExpression = "rate(1 minute)";
    bad.eventBusName = "orders";
    EXPECT_EQ(engine->putScheduleRule(bad).error().code, ErrorCode::NotFound);
    EXPECT_EQ(engine->getScheduleRule("missing").error().message,
              "Rule missing does not exist on EventBus default.");

    ASSERT_TRUE(engine->putScheduleRule(everyMinute("rule")).ok());
    const std::string arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    std::vector<ScheduleTarget> five;
    for (int i = 0; i < 5; ++i)
        five.push_back({"t" + std::to_string(i), arn, {}});
    ASSERT_TRUE(engine->putScheduleTargets("rule", five).ok());
    const auto sixth = engine->putScheduleTargets("rule", {{"t5", arn, {}}});
    ASSERT_FALSE(sixth.ok());
    EXPECT_EQ(sixth.error().code, ErrorCode::LimitExceeded);
    EXPECT_EQ(engine->listScheduleTargets("rule")->size(), 5U) << "the refused put changed nothing";
    const auto notAFunction =
        engine->putScheduleTargets("rule", {{"t0", "arn:aws:sqs:us-east-1:000000000000:q", {}}});
    ASSERT_TRUE(notAFunction.ok());
    ASSERT_EQ(notAFunction->size(), 1U);
    EXPECT_EQ((*notAFunction)[0].targetId, "t0");
    EXPECT_EQ(engine->putScheduleTargets("rule", {{"t0", arn, "{not json"}}).error().code,
              ErrorCode::Validation);

    const auto deleted = engine->deleteScheduleRule("rule");
    ASSERT_FALSE(deleted.ok());
    EXPECT_EQ(deleted.error().message, "Rule can't be deleted since it has targets.");
    EXPECT_EQ(*engine->listRuleNamesByTarget(arn), std::vector<std::string>{"rule"});
    ASSERT_TRUE(engine->removeScheduleTargets("rule", {"t0", "t1", "t2", "t3", "t4"}).ok());
    ASSERT_TRUE(engine->deleteScheduleRule("rule").ok());
    EXPECT_TRUE(engine->deleteScheduleRule("rule").ok()) << "deleting a missing rule succeeds";
    EXPECT_TRUE(engine->listRuleNamesByTarget(arn)->empty());
}

TEST_F(Schedules, RemovingTheTriggerTakesTargetAndPermission)
{
    makePython("report", kPrintEvent);
    ASSERT_TRUE(engine->addScheduleTrigger("report", {}, everyMinute("report-rule")).ok());
    ASSERT_TRUE(engine->removeScheduleTrigger("report", "report-rule").ok());
    EXPECT_TRUE(engine->listScheduleTriggers("report")->empty());
    EXPECT_FALSE(engine->getPolicy("report").ok()) << "the statement Add trigger made is gone";
    EXPECT_TRUE(engine->getScheduleRule("report-rule").ok()) << "the rule stays, as in AWS";

    // Add trigger makes a new rule: an existing name is refused, and nothing is half-added.
    const auto again = engine->addScheduleTrigger("report", {}, everyMinute("report-rule"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::Conflict);
    EXPECT_TRUE(engine->listScheduleTriggers("report")->empty());
    EXPECT_FALSE(engine->getPolicy("report").ok());
}

} // namespace
} // namespace lambdesk::engine::testing
