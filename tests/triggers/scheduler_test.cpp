// The scheduler against a clock the test moves: rules fire at their times, once per due time,
// never for times missed while nothing ran, and follow rule changes.
#include "triggers/scheduledevent.h"
#include "triggers/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace lambdesk::engine::triggers {
namespace {

constexpr std::int64_t kMinute = 60'000;
// 2026-12-06T10:00:00Z
constexpr std::int64_t kTen = 1'796'551'200'000;

class SchedulerTest : public ::testing::Test {
protected:
    Scheduler scheduler{[this] { return m_now.load(); },
                        [this](const ScheduledFire &fire) {
                            std::lock_guard lock(m_mutex);
                            m_fires.push_back(fire.rule.name + "@" + eventTime(fire.fireMs));
                        }};

    static ScheduleRule rule(const std::string &name, const std::string &expression,
                             std::int64_t anchor = kTen, const std::string &state = kRuleEnabled)
    {
        ScheduleRule made;
        made.name = name;
        made.scheduleExpression = expression;
        made.anchorMs = anchor;
        made.state = state;
        return made;
    }

    std::vector<std::string> fires()
    {
        std::lock_guard lock(m_mutex);
        return m_fires;
    }

    std::atomic<std::int64_t> m_now{kTen};
    std::mutex m_mutex;
    std::vector<std::string> m_fires;
};

using Fires = std::vector<std::string>;

TEST_F(SchedulerTest, FiresEachRuleAtItsTime)
{
    ASSERT_EQ(eventTime(kTen), "2026-12-06T10:00:00Z");
    scheduler.setRules(
        {rule("every-minute", "rate(1 minute)"), rule("quarter", "cron(0/15 * * * ? *)")});
    EXPECT_EQ(scheduler.fireDue(), 0U);
    m_now = kTen + kMinute - 1;
    EXPECT_EQ(scheduler.fireDue(), 0U) << "not before its time";
    m_now = kTen + kMinute;
    EXPECT_EQ(scheduler.fireDue(), 1U);
    EXPECT_EQ(scheduler.fireDue(), 0U) << "a due time fires once";
    m_now = kTen + 15 * kMinute + 10;
    EXPECT_EQ(scheduler.fireDue(), 2U);
    EXPECT_EQ(fires(), (Fires{"every-minute@2026-12-06T10:01:00Z",
                              "every-minute@2026-12-06T10:15:00Z", "quarter@2026-12-06T10:15:00Z"}))
        << "after a gap, one fire for the latest due time: the ones in between are not replayed";
}

TEST_F(SchedulerTest, SkipsDisabledRulesAndFollowsChanges)
{
    scheduler.setRules(
        {rule("off", "rate(1 minute)", kTen, kRuleDisabled), rule("hourly", "cron(0 * * * ? *)")});
    EXPECT_EQ(scheduler.nextFires().size(), 1U);
    EXPECT_EQ(scheduler.nextFires().at("hourly"), kTen + 60 * kMinute);

    m_now = kTen + 30 * kMinute;
    // Changed to every 5 minutes: it looks ahead from now, not from when it was made.
    scheduler.setRules({rule("hourly", "cron(0/5 * * * ? *)")});
    EXPECT_EQ(scheduler.nextFires().at("hourly"), kTen + 35 * kMinute);
    // The same rule again keeps its next fire.
    scheduler.setRules({rule("hourly", "cron(0/5 * * * ? *)")});
    EXPECT_EQ(scheduler.nextFires().at("hourly"), kTen + 35 * kMinute);
    scheduler.setRules({});
    m_now = kTen + 120 * kMinute;
    EXPECT_EQ(scheduler.fireDue(), 0U) << "a removed rule never fires";
    EXPECT_TRUE(fires().empty());
}

TEST_F(SchedulerTest, AStartedSchedulerNoticesTheClockMove)
{
    scheduler.setRules({rule("every-minute", "rate(1 minute)")});
    scheduler.start();
    m_now = kTen + kMinute;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (fires().empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    scheduler.stop();
    EXPECT_EQ(fires(), (Fires{"every-minute@2026-12-06T10:01:00Z"}));
}

TEST_F(SchedulerTest, ExpiredCronYearsStopFiring)
{
    scheduler.setRules({rule("once", "cron(5 10 6 12 ? 2026)")});
    m_now = kTen + 5 * kMinute;
    EXPECT_EQ(scheduler.fireDue(), 1U);
    EXPECT_TRUE(scheduler.nextFires().empty());
    m_now = kTen + 525'600 * kMinute;
    EXPECT_EQ(scheduler.fireDue(), 0U);
}

} // namespace
} // namespace lambdesk::engine::triggers
