#include "triggers/scheduledevent.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

namespace lambdesk::engine::triggers {

std::string eventTime(std::int64_t epochMs)
{
    namespace chrono = std::chrono;
    const chrono::sys_seconds seconds = chrono::floor<chrono::seconds>(
        chrono::sys_time<chrono::milliseconds>(chrono::milliseconds(epochMs)));
    const auto day = chrono::floor<chrono::days>(seconds);
    const chrono::year_month_day ymd{day};
    const chrono::hh_mm_ss clock{seconds - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return text;
}

std::string scheduledEvent(const ScheduleRule &rule, const ScheduledEventContext &context)
{
    nlohmann::ordered_json event;
    event["version"] = "0";
    event["id"] = context.eventId;
    event["detail-type"] = "Scheduled Event";
    event["source"] = "aws.events";
    event["account"] = context.accountId;
    event["time"] = eventTime(context.fireMs);
    event["region"] = context.region;
    event["resources"] = nlohmann::ordered_json::array({rule.arn});
    event["detail"] = nlohmann::ordered_json::object();
    return event.dump();
}

} // namespace lambdesk::engine::triggers
