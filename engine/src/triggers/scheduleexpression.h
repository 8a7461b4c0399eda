#pragma once
// EventBridge schedule expressions: rate(N unit) and the six-field cron(min hour dom month dow
// year) with AWS's wildcards (, - * ? / L W #), month and weekday names and years 1970-2199,
// always in UTC. validateScheduleExpression and nextScheduleFires (schedule.h) wrap this.

#include "lambdesk/engine/result.h"

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>

namespace lambdesk::engine::triggers {

inline constexpr int kFirstCronYear = 1970;
inline constexpr int kLastCronYear = 2199;

class ScheduleExpression {
public:
    // ValidationException with AWS's "Parameter ScheduleExpression is not valid." and the reason.
    static Result<ScheduleExpression> parse(const std::string &text);

    // The first fire strictly after `afterMs` (epoch ms); rate() periods count from `anchorMs`.
    // None when a cron expression has no later time (its years are over).
    std::optional<std::int64_t> nextFireAfter(std::int64_t afterMs, std::int64_t anchorMs) const;

    bool isRate() const { return m_rateSeconds > 0; }

    // One cron day field: a set of values, or one of the special forms.
    struct DayRule {
        enum class Kind {
            Unspecified,    // ?
            Values,         // 1,15 | 1-5 | */2 | *
            LastDay,        // L (day of month)
            LastWeekday,    // LW (day of month)
            NearestWeekday, // 15W (day of month): the weekday nearest the 15th, in the month
            LastOfWeekday,  // 6L (day of week): the month's last Friday
            NthWeekday,     // 3#2 (day of week): the month's second Tuesday
        };
        Kind kind = Kind::Values;
        std::bitset<32> values; // day of month 1-31, or day of week 1 (SUN) - 7 (SAT)
        int day = 0;            // NearestWeekday's day, or the weekday of LastOf/Nth
        int nth = 0;            // NthWeekday's 1-5
    };

private:
    bool matchesDay(int year, unsigned month, unsigned day) const;

    std::int64_t m_rateSeconds = 0; // > 0 for rate()
    std::bitset<64> m_minutes;
    std::bitset<24> m_hours;
    DayRule m_dayOfMonth;
    std::bitset<13> m_months;
    DayRule m_dayOfWeek;
    std::bitset<kLastCronYear - kFirstCronYear + 1> m_years;
};

} // namespace lambdesk::engine::triggers
