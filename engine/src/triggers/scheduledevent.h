#pragma once
// The event EventBridge sends a rule's function target when its schedule fires. Pure: the id and
// the time come from the caller.

#include "lambdesk/engine/schedule.h"

#include <cstdint>
#include <string>

namespace lambdesk::engine::triggers {

struct ScheduledEventContext {
    std::string eventId; // a UUID
    std::string region;
    std::string accountId;
    std::int64_t fireMs = 0; // the scheduled time, not when it was sent
};

// {"version":"0","id":...,"detail-type":"Scheduled Event","source":"aws.events",...}, in AWS's
// member order.
std::string scheduledEvent(const ScheduleRule &rule, const ScheduledEventContext &context);

// "2026-12-06T20:04:00Z", as the event's time reads.
std::string eventTime(std::int64_t epochMs);

} // namespace lambdesk::engine::triggers
