#pragma once
// Schedules: EventBridge rules with a ScheduleExpression on the default event bus, and their
// targets (functions). The expression rules are here so that the app's form checks and previews
// an expression exactly as PutRule will.

#include "lambdesk/engine/result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lambdesk::engine {

inline constexpr const char *kDefaultEventBus = "default";
inline constexpr const char *kRuleEnabled = "ENABLED";
inline constexpr const char *kRuleDisabled = "DISABLED";
inline constexpr std::size_t kMaxRuleNameLength = 64;
inline constexpr std::size_t kMaxRuleDescriptionLength = 512;
inline constexpr std::size_t kMaxTargetsPerRule = 5;
inline constexpr std::size_t kMaxTargetIdLength = 64;
inline constexpr std::size_t kMaxTargetInputLength = 8192;
// The principal a function's resource-based policy must allow for a rule to invoke it.
inline constexpr const char *kEventsPrincipal = "events.amazonaws.com";

// PutRule's input. An empty state keeps an existing rule's (ENABLED for a new one), as AWS does.
struct ScheduleRuleInput {
    std::string name;
    std::string scheduleExpression; // rate(5 minutes) | cron(0 12 * * ? *)
    std::string state;              // "" | ENABLED | DISABLED
    std::string description;
    std::string eventBusName; // "" or "default": the only bus here
};

struct ScheduleRule {
    std::string name;
    std::string arn; // arn:aws:events:REGION:ACCOUNT:rule/NAME
    std::string scheduleExpression;
    std::string state = kRuleEnabled;
    std::string description;
    std::string eventBusName = kDefaultEventBus;
    std::string createdBy; // the account id
    // Where rate() periods count from: when the rule was created, changed its expression or was
    // last enabled (epoch ms). cron() ignores it.
    std::int64_t anchorMs = 0;
};

struct ScheduleTarget {
    std::string id;
    std::string arn;   // a function ARN, optionally qualified
    std::string input; // constant JSON sent instead of the Scheduled Event; "" for the event
};

// PutTargets / RemoveTargets report per target.
struct TargetFailure {
    std::string targetId;
    std::string errorCode;
    std::string errorMessage;
};

// A rule that invokes a function, as the function's Triggers list shows it.
struct ScheduleTrigger {
    ScheduleRule rule;
    ScheduleTarget target;
    bool permitted = false; // the function's policy lets the rule invoke it
};

// ValidationException "Parameter ScheduleExpression is not valid." with the reason after it.
Result<void> validateScheduleExpression(const std::string &expression);

// The next `count` times (epoch ms, UTC) the expression fires strictly after `afterMs`; fewer
// when a cron expression's years run out. `anchorMs` is ScheduleRule::anchorMs.
Result<std::vector<std::int64_t>> nextScheduleFires(const std::string &expression,
                                                    std::int64_t afterMs, std::int64_t anchorMs,
                                                    std::size_t count);

} // namespace lambdesk::engine
