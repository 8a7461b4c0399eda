#pragma once
// Asynchronous invocation: what happens to an event after Invoke answered 202 — its retries, its
// maximum age and where its invocation record goes (Put/Get/Update/Delete/
// ListFunctionEventInvokeConfig(s)). The limits are here so that the app's forms check a value
// exactly as the API will.

#include "lambdesk/engine/result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lambdesk::engine {

inline constexpr int kMinRetryAttempts = 0;
inline constexpr int kMaxRetryAttempts = 2;
inline constexpr int kDefaultRetryAttempts = 2;
inline constexpr int kMinEventAgeSeconds = 60;
inline constexpr int kMaxEventAgeSeconds = 21600;
inline constexpr int kDefaultEventAgeSeconds = 21600;
inline constexpr int kMaxEventInvokeConfigListItems = 50;

// requestContext.condition of an invocation record.
inline constexpr const char *kConditionSuccess = "Success";
inline constexpr const char *kConditionRetriesExhausted = "RetriesExhausted";
inline constexpr const char *kConditionEventAgeExceeded = "EventAgeExceeded";

// PutFunctionEventInvokeConfig's input (what it leaves unset is removed);
// UpdateFunctionEventInvokeConfig changes only what it sets. A destination is the ARN of a
// function or of a queue of this engine; "" removes it.
struct EventInvokeConfigInput {
    std::optional<int> maximumRetryAttempts;
    std::optional<int> maximumEventAgeInSeconds;
    std::optional<std::string> onSuccess;
    std::optional<std::string> onFailure;
};

struct EventInvokeConfig {
    std::string functionName;
    std::string qualifier = "$LATEST";           // "$LATEST", a version or an alias
    std::string functionArn;                     // qualified: ...:function:NAME:QUALIFIER
    std::optional<int> maximumRetryAttempts;     // unset: kDefaultRetryAttempts
    std::optional<int> maximumEventAgeInSeconds; // unset: kDefaultEventAgeSeconds
    std::string onSuccess;
    std::string onFailure;
    std::int64_t lastModifiedMs = 0;
};

// Ranges and "at least one setting", as Lambda checks them (InvalidParameterValueException).
Result<void> validateEventInvokeConfig(const EventInvokeConfigInput &input);

// What a destination or dead-letter ARN names; the engine checks that it exists.
enum class DestinationKind { Function, Queue, Unsupported };
inline DestinationKind destinationKind(const std::string &arn)
{
    if (arn.starts_with("arn:aws:lambda:") && arn.find(":function:") != std::string::npos)
        return DestinationKind::Function;
    if (arn.starts_with("arn:aws:sqs:"))
        return DestinationKind::Queue;
    return DestinationKind::Unsupported;
}

} // namespace lambdesk::engine
