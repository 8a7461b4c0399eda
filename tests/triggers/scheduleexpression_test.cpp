// EventBridge's schedule expressions: AWS's documented examples fire when AWS says they do, and
// each rule of the syntax refuses what AWS refuses.
#include "lambdesk/engine/schedule.h"
#include "triggers/scheduledevent.h"
#include "triggers/scheduleexpression.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace lambdesk::engine::triggers {
namespace {

using namespace std::chrono;

// "2026-12-06T10:00:00Z" -> epoch ms.
std::int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0)
{
    const sys_days day{year(y) / month(mo) / std::chrono::day(d)};
    return duration_cast<milliseconds>(
               (day + hours(h) + minutes(mi) + seconds(s)).time_since_epoch())
        .count();
}

std::vector<std::string> fires(const std::string &expression, std::int64_t after, std::size_t count,
                               std::int64_t anchor = 0)
{
    const auto next = nextScheduleFires(expression, after, anchor, count);
    EXPECT_TRUE(next.ok()) << expression << ": " << (next.ok() ? "" : next.error().message);
    std::vector<std::string> out;
    if (next)
        for (const std::int64_t ms : *next)
            out.push_back(eventTime(ms));
    return out;
}

using Times = std::vector<std::string>;

// 2026-12-06 is a Sunday.
const std::int64_t kSundayMorning = at(2026, 12, 6, 9, 30, 15);

TEST(ScheduleExpression, DailyAtAFixedTimeInUtc)
{
    EXPECT_EQ(fires("cron(0 10 * * ? *)", kSundayMorning, 2),
              (Times{"2026-12-06T10:00:00Z", "2026-12-07T10:00:00Z"}));
    EXPECT_EQ(fires("cron(15 12 * * ? *)", kSundayMorning, 1), (Times{"2026-12-06T12:15:00Z"}));
}

TEST(ScheduleExpression, WeekdaysByNameAndRange)
{
    EXPECT_EQ(fires("cron(0 18 ? * MON-FRI *)", kSundayMorning, 2),
              (Times{"2026-12-07T18:00:00Z", "2026-12-08T18:00:00Z"}));
    EXPECT_EQ(fires("cron(0 18 ? * mon-fri *)", at(2026, 12, 11, 18, 0), 1),
              (Times{"2026-12-14T18:00:00Z"}))
        << "names are case-insensitive; Friday's fire is past, so Monday";
    EXPECT_EQ(fires("cron(0 0 ? * FRI-MON *)", at(2026, 12, 8), 4),
              (Times{"2026-12-11T00:00:00Z", "2026-12-12T00:00:00Z", "2026-12-13T00:00:00Z",
                     "2026-12-14T00:00:00Z"}))
        << "a range that wraps the week";
}

TEST(ScheduleExpression, IncrementsAndHourRanges)
{
    EXPECT_EQ(fires("cron(0/15 * * * ? *)", kSundayMorning, 3),
              (Times{"2026-12-06T09:45:00Z", "2026-12-06T10:00:00Z", "2026-12-06T10:15:00Z"}));
    EXPECT_EQ(fires("cron(0/5 8-17 ? * MON-FRI *)", at(2026, 12, 7, 17, 52), 2),
              (Times{"2026-12-07T17:55:00Z", "2026-12-08T08:00:00Z"}));
    EXPECT_EQ(fires("cron(0/1 * * * ? *)", at(2026, 12, 6, 9, 40), 2),
              (Times{"2026-12-06T09:41:00Z", "2026-12-06T09:42:00Z"}))
        << "0/1 runs from 0 to the end of the field, not only minute 0";
    EXPECT_EQ(fires("cron(50/5 * * * ? *)", at(2026, 12, 6, 9, 56), 1),
              (Times{"2026-12-06T10:50:00Z"}));
    EXPECT_EQ(fires("cron(*/20 * * * ? *)", at(2026, 12, 6, 9, 40), 1),
              (Times{"2026-12-06T10:00:00Z"}));
    EXPECT_EQ(fires("cron(5,35 * * * ? *)", at(2026, 12, 6, 9, 5), 2),
              (Times{"2026-12-06T09:35:00Z", "2026-12-06T10:05:00Z"}))
        << "strictly after: a fire at the very minute given is not the next one";
}

TEST(ScheduleExpression, MonthDaysAndNamedMonths)
{
    EXPECT_EQ(fires("cron(0 8 1 * ? *)", kSundayMorning, 2),
              (Times{"2027-01-01T08:00:00Z", "2027-02-01T08:00:00Z"}));
    EXPECT_EQ(fires("cron(0 0 31 * ? *)", kSundayMorning, 3),
              (Times{"2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z", "2027-03-31T00:00:00Z"}))
        << "months without a 31st are skipped";
    EXPECT_EQ(fires("cron(0 12 29 FEB ? *)", kSundayMorning, 1), (Times{"2028-02-29T12:00:00Z"}));
}

TEST(ScheduleExpression, LastDayWeekdayAndNth)
{
    EXPECT_EQ(fires("cron(0 0 L * ? *)", kSundayMorning, 3),
              (Times{"2026-12-31T00:00:00Z", "2027-01-31T00:00:00Z", "2027-02-28T00:00:00Z"}));
    // January 2027's last Friday is the 29th; February's the 26th.
    EXPECT_EQ(fires("cron(0 0 ? * 6L *)", at(2027, 1, 1), 2),
              (Times{"2027-01-29T00:00:00Z", "2027-02-26T00:00:00Z"}));
    // The first Monday (2#1) of January 2027 is the 4th.
    EXPECT_EQ(fires("cron(0 9 ? * 2#1 *)", at(2027, 1, 1), 1), (Times{"2027-01-04T09:00:00Z"}));
    // 2027-05-15 is a Saturday: the nearest weekday is Friday the 14th. 2027-08-01 is a Sunday
    // and 1W stays in the month: Monday the 2nd.
    EXPECT_EQ(fires("cron(0 0 15W * ? *)", at(2027, 5, 1), 1), (Times{"2027-05-14T00:00:00Z"}));
    EXPECT_EQ(fires("cron(0 0 1W * ? *)", at(2027, 7, 20), 1), (Times{"2027-08-02T00:00:00Z"}));
    // 2027-01-31 is a Sunday: the last weekday of January is Friday the 29th.
    EXPECT_EQ(fires("cron(0 0 LW * ? *)", at(2027, 1, 1), 1), (Times{"2027-01-29T00:00:00Z"}));
    EXPECT_EQ(fires("cron(0 0 ? * L *)", kSundayMorning, 1), (Times{"2026-12-12T00:00:00Z"}))
        << "L alone in day-of-week is Saturday";
    // 2027-05-01 is a Saturday: 1W does not go back into April, it is Monday the 3rd.
    EXPECT_EQ(fires("cron(0 0 1W * ? *)", at(2027, 4, 20), 1), (Times{"2027-05-03T00:00:00Z"}));
    // 31W in a month of 30 days does not fire that month.
    EXPECT_EQ(fires("cron(0 0 31W 11,12 ? *)", at(2026, 11, 1), 1),
              (Times{"2026-12-31T00:00:00Z"}));
}

TEST(ScheduleExpression, YearsRunOut)
{
    EXPECT_EQ(fires("cron(0 0 1 1 ? 2027-2028)", kSundayMorning, 5),
              (Times{"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"}));
    EXPECT_TRUE(fires("cron(0 0 1 1 ? 2020)", kSundayMorning, 5).empty()) << "valid, never again";
    EXPECT_EQ(fires("cron(0 0 1 1 ? 2199)", kSundayMorning, 1), (Times{"2199-01-01T00:00:00Z"}));
}

TEST(ScheduleExpression, RatesCountFromTheAnchor)
{
    const std::int64_t anchor = at(2026, 12, 6, 12, 0, 30) + 500; // 12:00:30.5
    EXPECT_EQ(fires("rate(5 minutes)", anchor, 2, anchor),
              (Times{"2026-12-06T12:05:30Z", "2026-12-06T12:10:30Z"}));
    EXPECT_EQ(fires("rate(1 minute)", at(2026, 12, 6, 13, 0, 0), 1, anchor),
              (Times{"2026-12-06T13:00:30Z"}));
    EXPECT_EQ(fires("rate(1 hour)", anchor, 1, anchor), (Times{"2026-12-06T13:00:30Z"}));
    EXPECT_EQ(fires("rate(2 days)", anchor, 1, anchor), (Times{"2026-12-08T12:00:30Z"}));
}

void expectInvalid(const std::string &expression, const std::string &reason)
{
    const auto valid = validateScheduleExpression(expression);
    ASSERT_FALSE(valid.ok()) << expression << " was accepted";
    EXPECT_EQ(valid.error().code, ErrorCode::Validation);
    EXPECT_TRUE(valid.error().message.starts_with("Parameter ScheduleExpression is not valid."))
        << valid.error().message;
    EXPECT_NE(valid.error().message.find(reason), std::string::npos)
        << expression << ": " << valid.error().message;
}

TEST(ScheduleExpression, RefusesWhatAwsRefuses)
{
    expectInvalid("rate(1 minutes)", "singular");
    expectInvalid("rate(5 minute)", "plural");
    expectInvalid("rate(0 minutes)", "1 or more");
    expectInvalid("rate(-5 minutes)", "1 or more");
    expectInvalid("rate(5 weeks)", "minute(s), hour(s) or day(s)");
    expectInvalid("rate(5)", "rate(value unit)");
    expectInvalid("cron(0 10 * * ?)", "six fields");
    expectInvalid("cron(0 10 * * ? * *)", "six fields");
    expectInvalid("cron(0 10 * * * *)", "Exactly one of Day-of-month and Day-of-week");
    expectInvalid("cron(0 10 ? * ? *)", "Exactly one of Day-of-month and Day-of-week");
    expectInvalid("cron(60 10 * * ? *)", "Minutes values are 0-59");
    expectInvalid("cron(0 24 * * ? *)", "Hours values are 0-23");
    expectInvalid("cron(0 0 32 * ? *)", "Day-of-month values are 1-31");
    expectInvalid("cron(0 0 ? 13 MON *)", "Month values are 1-12");
    expectInvalid("cron(0 0 ? * 8 *)", "Day-of-week values are 1-7");
    expectInvalid("cron(0 0 ? * FUN *)", "'FUN'");
    expectInvalid("cron(0 0 1 * ? 2200)", "Year values are 1970-2199");
    expectInvalid("cron(0/0 * * * ? *)", "increment");
    expectInvalid("cron(0 0 ? * 2#6 *)", "1-5");
    expectInvalid("cron(0,,5 0 * * ? *)", "empty list item");
    expectInvalid("0 10 * * ? *", "Use rate(value unit) or cron(");
    expectInvalid("at(2026-12-06T10:00:00)", "Use rate(value unit) or cron(");
    expectInvalid("cron(" + std::string(260, '1') + ")", "256");
}

TEST(ScheduledEvent, IsWhatEventBridgeSends)
{
    ScheduleRule rule;
    rule.name = "nightly";
    rule.arn = "arn:aws:events:us-east-1:000000000000:rule/nightly";
    const std::string text =
        scheduledEvent(rule, {"5e0d8f2a-0000-4000-8000-000000000001", "us-east-1", "000000000000",
                              at(2026, 12, 6, 10, 0, 0)});
    EXPECT_EQ(text, R"({"version":"0","id":"5e0d8f2a-0000-4000-8000-000000000001","detail-type":)"
                    R"("Scheduled Event","source":"aws.events","account":"000000000000","time":)"
                    R"("2026-12-06T10:00:00Z","region":"us-east-1","resources":)"
                    R"(["arn:aws:events:us-east-1:000000000000:rule/nightly"],"detail":{}})");
}

} // namespace
} // namespace lambdesk::engine::triggers
