#pragma once
// Event source mappings: a local queue polled for a function, as Lambda polls SQS. The limits
// are here so that the app's Add trigger form checks a value exactly as the API will.

#include "lambdesk/engine/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

inline constexpr int kDefaultSqsBatchSize = 10;
inline constexpr int kMaxSqsBatchSize = 10000;
inline constexpr int kMaxBatchingWindowSeconds = 300;
inline constexpr int kMinMaximumConcurrency = 2;
inline constexpr int kMaxMaximumConcurrency = 1000;
inline constexpr std::size_t kMaxFilterPatterns = 5;
// Pollers per mapping when ScalingConfig does not lower it: Lambda starts SQS with five.
inline constexpr int kDefaultQueuePollers = 5;
inline constexpr const char *kReportBatchItemFailures = "ReportBatchItemFailures";

inline constexpr const char *kMappingCreating = "Creating";
inline constexpr const char *kMappingEnabled = "Enabled";
inline constexpr const char *kMappingDisabled = "Disabled";
inline constexpr const char *kMappingUpdating = "Updating";
inline constexpr const char *kMappingDeleting = "Deleting";

// CreateEventSourceMapping's input; UpdateEventSourceMapping changes only what it sets.
struct EventSourceMappingInput {
    std::string functionName; // name or ARN, optionally qualified
    std::string eventSourceArn;
    std::optional<bool> enabled;
    std::optional<int> batchSize;
    std::optional<int> maximumBatchingWindowSeconds;
    std::optional<std::vector<std::string>> filterPatterns; // FilterCriteria.Filters[].Pattern
    std::optional<std::vector<std::string>> functionResponseTypes;
    std::optional<int> maximumConcurrency; // ScalingConfig; 0 removes it
};

struct EventSourceMapping {
    std::string uuid;
    std::string arn; // arn:aws:lambda:REGION:ACCOUNT:event-source-mapping:UUID
    std::string functionName;
    std::string qualifier;
    std::string functionArn;
    std::string eventSourceArn;
    bool enabled = true;
    std::string state = kMappingEnabled;
    int batchSize = kDefaultSqsBatchSize;
    int maximumBatchingWindowSeconds = 0;
    std::vector<std::string> filterPatterns;
    std::vector<std::string> functionResponseTypes;
    std::optional<int> maximumConcurrency;
    std::int64_t lastModifiedMs = 0;
};

// The values a mapping takes, checked as Lambda checks them (InvalidParameterValueException).
Result<void> validateEventSourceMapping(const EventSourceMapping &mapping);

} // namespace lambdesk::engine
