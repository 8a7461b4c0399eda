// AWS's rules for schedule expressions (EventBridge "Schedule expressions for rules"): rate()
// takes a positive whole number and a unit that is singular for 1 and plural otherwise; cron()
// takes exactly six fields, and exactly one of day-of-month and day-of-week is `?`.
#include "triggers/scheduleexpression.h"

#include "lambdesk/engine/schedule.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <sstream>
#include <string_view>
#include <vector>

namespace lambdesk::engine::triggers {

namespace {

using DayRule = ScheduleExpression::DayRule;
namespace chrono = std::chrono;

constexpr std::size_t kMaxExpressionLength = 256; // the model's ScheduleExpression

Error invalid(const std::string &reason)
{
    return makeError(ErrorCode::Validation, "Parameter ScheduleExpression is not valid. " + reason);
}

std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::optional<int> number(std::string_view text)
{
    int value = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (failure != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

struct FieldSpec {
    const char *name;
    int low;
    int high;
    const std::vector<std::string_view> *names; // names[i] stands for low + i
};

const std::vector<std::string_view> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::vector<std::string_view> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                     "THU", "FRI", "SAT"};

const FieldSpec kMinuteSpec{"Minutes", 0, 59, nullptr};
const FieldSpec kHourSpec{"Hours", 0, 23, nullptr};
const FieldSpec kDayOfMonthSpec{"Day-of-month", 1, 31, nullptr};
const FieldSpec kMonthSpec{"Month", 1, 12, &kMonthNames};
const FieldSpec kDayOfWeekSpec{"Day-of-week", 1, 7, &kWeekdayNames};
const FieldSpec kYearSpec{"Year", kFirstCronYear, kLastCronYear, nullptr};

Result<int> fieldValue(const FieldSpec &spec, std::string_view text)
{
    std::optional<int> value = number(text);
    if (!value && spec.names) {
        const auto found = std::find(spec.names->begin(), spec.names->end(), upper(text));
        if (found != spec.names->end())
            value = spec.low + static_cast<int>(found - spec.names->begin());
    }
    if (!value)
        return invalid(std::string(spec.name) + " has '" + std::string(text) +
                       "', which is not a value.");
    if (*value < spec.low || *value > spec.high)
        return invalid(std::string(spec.name) + " values are " + std::to_string(spec.low) + "-" +
                       std::to_string(spec.high) + "; " + std::to_string(*value) +
                       " is out of range.");
    return *value;
}

// Sets the values one comma-separated item names: * | a | a-b | with /step after any of them.
// A range whose end comes before its start wraps around (FRI-MON).
template <std::size_t N>
Result<void> addItem(const FieldSpec &spec, std::string_view item, std::bitset<N> &values,
                     std::size_t offset)
{
    int step = 1;
    const bool stepped = item.find('/') != std::string_view::npos;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
        const auto parsed = number(item.substr(slash + 1));
        if (!parsed || *parsed < 1)
            return invalid(std::string(spec.name) + " has the increment '" +
                           std::string(item.substr(slash + 1)) +
                           "'; it must be a whole number of 1 or more.");
        step = *parsed;
        item = item.substr(0, slash);
    }
    int first = spec.low;
    int last = spec.high;
    if (item != "*") {
        const auto dash = item.find('-');
        const auto start = fieldValue(spec, item.substr(0, dash));
        if (!start)
            return start.error();
        first = *start;
        if (dash != std::string_view::npos) {
            const auto end = fieldValue(spec, item.substr(dash + 1));
            if (!end)
                return end.error();
            last = *end;
        } else if (!stepped) { // "5" is one value; "5/1" runs from 5 to the field's end
            last = first;
        }
    }
    const int span = spec.high - spec.low + 1;
    const int count = (last >= first ? last - first : last + span - first) + 1;
    for (int i = 0; i < count; i += step) {
        const int value = spec.low + (first - spec.low + i) % span;
        values.set(static_cast<std::size_t>(value) - offset);
    }
    return {};
}

template <std::size_t N>
Result<void> parseValues(const FieldSpec &spec, std::string_view field, std::bitset<N> &values,
                         std::size_t offset = 0)
{
    std::size_t begin = 0;
    while (begin <= field.size()) {
        const auto comma = std::min(field.find(',', begin), field.size());
        const auto item = field.substr(begin, comma - begin);
        if (item.empty())
            return invalid(std::string(spec.name) + " has an empty list item.");
        if (auto added = addItem(spec, item, values, offset); !added)
            return added.error();
        begin = comma + 1;
    }
    return {};
}

Result<DayRule> parseDayOfMonth(std::string_view field)
{
    DayRule rule;
    const std::string text = upper(field);
    if (text == "?") {
        rule.kind = DayRule::Kind::Unspecified;
    } else if (text == "L") {
        rule.kind = DayRule::Kind::LastDay;
    } else if (text == "LW") {
        rule.kind = DayRule::Kind::LastWeekday;
    } else if (text.size() > 1 && text.back() == 'W') {
        const auto day =
            fieldValue(kDayOfMonthSpec, std::string_view(text).substr(0, text.size() - 1));
        if (!day)
            return day.error();
        rule.kind = DayRule::Kind::NearestWeekday;
        rule.day = *day;
    } else if (auto values = parseValues(kDayOfMonthSpec, field, rule.values); !values) {
        return values.error();
    }
    return rule;
}

Result<DayRule> parseDayOfWeek(std::string_view field)
{
    DayRule rule;
    const std::string text = upper(field);
    const auto hash = text.find('#');
    if (text == "?") {
        rule.kind = DayRule::Kind::Unspecified;
    } else if (text == "L") { // the last day of the week: Saturday
        rule.values.set(7);
    } else if (text.size() > 1 && text.back() == 'L') {
        const auto day =
            fieldValue(kDayOfWeekSpec, std::string_view(text).substr(0, text.size() - 1));
        if (!day)
            return day.error();
        rule.kind = DayRule::Kind::LastOfWeekday;
        rule.day = *day;
    } else if (hash != std::string::npos) {
        const auto day = fieldValue(kDayOfWeekSpec, std::string_view(text).substr(0, hash));
        if (!day)
            return day.error();
        const auto nth = number(std::string_view(text).substr(hash + 1));
        if (!nth || *nth < 1 || *nth > 5)
            return invalid("Day-of-week '" + text + "': the number after # must be 1-5.");
        rule.kind = DayRule::Kind::NthWeekday;
        rule.day = *day;
        rule.nth = *nth;
    } else if (auto values = parseValues(kDayOfWeekSpec, field, rule.values); !values) {
        return values.error();
    }
    return rule;
}

// "rate(5 minutes)": 1 takes the singular unit, anything more the plural.
Result<std::int64_t> parseRate(std::string_view body)
{
    std::istringstream words{std::string(body)};
    std::string value;
    std::string unit;
    std::string extra;
    words >> value >> unit;
    if (value.empty() || unit.empty() || (words >> extra))
        return invalid("A rate is rate(value unit), for example rate(5 minutes).");
    const auto amount = number(value);
    if (!amount || *amount < 1)
        return invalid("The rate's value must be a whole number of 1 or more.");
    static constexpr std::array<std::pair<std::string_view, std::int64_t>, 3> kUnits = {
        {{"minute", 60}, {"hour", 3600}, {"day", 86400}}};
    for (const auto &[name, seconds] : kUnits) {
        const std::string plural = std::string(name) + "s";
        if (unit == name || unit == plural) {
            if (*amount == 1 && unit != name)
                return invalid("A value of 1 takes the singular unit: rate(1 " + std::string(name) +
                               ").");
            if (*amount > 1 && unit == name) {
                std::string example = "rate(";
                example.append(value).append(" ").append(plural).append(")");
                return invalid("A value above 1 takes the plural unit: " + example + ".");
            }
            return *amount * seconds;
        }
    }
    return invalid("The rate's unit must be minute(s), hour(s) or day(s), not '" + unit + "'.");
}

std::vector<std::string_view> splitFields(std::string_view body)
{
    std::vector<std::string_view> fields;
    std::size_t at = 0;
    while (at < body.size()) {
        while (at < body.size() && body[at] == ' ')
            ++at;
        const std::size_t end = std::min(body.find(' ', at), body.size());
        if (end > at)
            fields.push_back(body.substr(at, end - at));
        at = end;
    }
    return fields;
}

unsigned daysInMonth(int year, unsigned month)
{
    return static_cast<unsigned>(
        chrono::year_month_day_last(chrono::year(year),
                                    chrono::month_day_last(chrono::month(month)))
            .day());
}

// 1 (Sunday) - 7 (Saturday), as cron counts.
int cronWeekday(int year, unsigned month, unsigned day)
{
    const chrono::weekday weekday{
        chrono::sys_days{chrono::year(year) / chrono::month(month) / chrono::day(day)}};
    return static_cast<int>(weekday.c_encoding()) + 1;
}

// The weekday nearest `target` without leaving the month (Quartz's and EventBridge's W).
unsigned nearestWeekday(int year, unsigned month, unsigned target)
{
    const unsigned last = daysInMonth(year, month);
    const int weekday = cronWeekday(year, month, target);
    if (weekday == 7) // Saturday: the Friday before, or the Monday after the 1st
        return target == 1 ? 3 : target - 1;
    if (weekday == 1) // Sunday: the Monday after, or the Friday before the month's end
        return target == last ? target - 2 : target + 1;
    return target;
}

} // namespace

Result<ScheduleExpression> ScheduleExpression::parse(const std::string &text)
{
    if (text.size() > kMaxExpressionLength)
        return invalid("It is longer than 256 characters.");
    const std::string_view view(text);
    const auto opens = [&view](std::string_view prefix) {
        return view.size() > prefix.size() && view.substr(0, prefix.size()) == prefix &&
               view.back() == ')';
    };
    const bool isRate = opens("rate(");
    if (!isRate && !opens("cron("))
        return invalid("Use rate(value unit) or cron(minutes hours day-of-month month "
                       "day-of-week year).");
    const std::string_view body = view.substr(5, view.size() - 6);
    ScheduleExpression expression;
    if (isRate) {
        const auto seconds = parseRate(body);
        if (!seconds)
            return seconds.error();
        expression.m_rateSeconds = *seconds;
        return expression;
    }
    const auto fields = splitFields(body);
    if (fields.size() != 6)
        return invalid("A cron expression has six fields (minutes hours day-of-month month "
                       "day-of-week year); this one has " +
                       std::to_string(fields.size()) + ".");
    if (auto parsed = parseValues(kMinuteSpec, fields[0], expression.m_minutes); !parsed)
        return parsed.error();
    if (auto parsed = parseValues(kHourSpec, fields[1], expression.m_hours); !parsed)
        return parsed.error();
    auto dayOfMonth = parseDayOfMonth(fields[2]);
    if (!dayOfMonth)
        return dayOfMonth.error();
    if (auto parsed = parseValues(kMonthSpec, fields[3], expression.m_months); !parsed)
        return parsed.error();
    auto dayOfWeek = parseDayOfWeek(fields[4]);
    if (!dayOfWeek)
        return dayOfWeek.error();
    if (auto parsed = parseValues(kYearSpec, fields[5], expression.m_years, kFirstCronYear);
        !parsed)
        return parsed.error();
    const bool domUnspecified = dayOfMonth->kind == DayRule::Kind::Unspecified;
    const bool dowUnspecified = dayOfWeek->kind == DayRule::Kind::Unspecified;
    if (domUnspecified == dowUnspecified)
        return invalid("Exactly one of Day-of-month and Day-of-week must be '?'.");
    expression.m_dayOfMonth = *dayOfMonth;
    expression.m_dayOfWeek = *dayOfWeek;
    return expression;
}

bool ScheduleExpression::matchesDay(int year, unsigned month, unsigned day) const
{
    const unsigned last = daysInMonth(year, month);
    switch (m_dayOfMonth.kind) {
    case DayRule::Kind::Values:
        return m_dayOfMonth.values.test(day);
    case DayRule::Kind::LastDay:
        return day == last;
    case DayRule::Kind::LastWeekday:
        return day == nearestWeekday(year, month, last);
    case DayRule::Kind::NearestWeekday:
        return static_cast<unsigned>(m_dayOfMonth.day) <= last &&
               day == nearestWeekday(year, month, static_cast<unsigned>(m_dayOfMonth.day));
    default:
        break; // day of month is `?`: the day of week decides
    }
    const int weekday = cronWeekday(year, month, day);
    switch (m_dayOfWeek.kind) {
    case DayRule::Kind::LastOfWeekday:
        return weekday == m_dayOfWeek.day && day + 7 > last;
    case DayRule::Kind::NthWeekday:
        return weekday == m_dayOfWeek.day && static_cast<int>((day - 1) / 7 + 1) == m_dayOfWeek.nth;
    default:
        return m_dayOfWeek.values.test(static_cast<std::size_t>(weekday));
    }
}

std::optional<std::int64_t> ScheduleExpression::nextFireAfter(std::int64_t afterMs,
                                                              std::int64_t anchorMs) const
{
    if (isRate()) {
        const std::int64_t period = m_rateSeconds * 1000;
        const std::int64_t anchor = anchorMs - anchorMs % 1000;
        const std::int64_t periods = afterMs < anchor ? 0 : (afterMs - anchor) / period;
        return anchor + (periods + 1) * period;
    }
    // The first whole minute after afterMs.
    const auto start = chrono::floor<chrono::minutes>(
                           chrono::sys_time<chrono::milliseconds>(chrono::milliseconds(afterMs))) +
                       chrono::minutes(1);
    auto date = chrono::floor<chrono::days>(start);
    auto minuteOfDay = static_cast<int>((start - date).count());
    while (true) {
        const chrono::year_month_day ymd{date};
        const int year = static_cast<int>(ymd.year());
        if (year > kLastCronYear)
            return std::nullopt;
        const auto month = static_cast<unsigned>(ymd.month());
        const auto day = static_cast<unsigned>(ymd.day());
        if (year < kFirstCronYear ||
            !m_years.test(static_cast<std::size_t>(year - kFirstCronYear))) {
            date = chrono::sys_days{(ymd.year() + chrono::years(1)) / chrono::January / 1};
            minuteOfDay = 0;
            continue;
        }
        if (!m_months.test(month)) {
            const auto next = ymd.year() / ymd.month() / 1 + chrono::months(1);
            date = chrono::sys_days{next};
            minuteOfDay = 0;
            continue;
        }
        if (matchesDay(year, month, day)) {
            for (int minute = minuteOfDay; minute < 24 * 60; ++minute) {
                if (m_hours.test(static_cast<std::size_t>(minute / 60)) &&
                    m_minutes.test(static_cast<std::size_t>(minute % 60))) {
                    const auto fire =
                        chrono::sys_time<chrono::minutes>(date) + chrono::minutes(minute);
                    return chrono::duration_cast<chrono::milliseconds>(fire.time_since_epoch())
                        .count();
                }
            }
        }
        date += chrono::days(1);
        minuteOfDay = 0;
    }
}

} // namespace lambdesk::engine::triggers

namespace lambdesk::engine {

Result<void> validateScheduleExpression(const std::string &expression)
{
    const auto parsed = triggers::ScheduleExpression::parse(expression);
    if (!parsed)
        return parsed.error();
    return {};
}

Result<std::vector<std::int64_t>> nextScheduleFires(const std::string &expression,
                                                    std::int64_t afterMs, std::int64_t anchorMs,
                                                    std::size_t count)
{
    const auto parsed = triggers::ScheduleExpression::parse(expression);
    if (!parsed)
        return parsed.error();
    std::vector<std::int64_t> fires;
    std::int64_t after = afterMs;
    while (fires.size() < count) {
        const auto next = parsed->nextFireAfter(after, anchorMs);
        if (!next)
            break;
        fires.push_back(*next);
        after = *next;
    }
    return fires;
}

} // namespace lambdesk::engine
