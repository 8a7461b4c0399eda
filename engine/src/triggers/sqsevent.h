#pragma once
// The event Lambda sends for a batch of SQS messages ({"Records": [...]}, each record as the
// event source mapping builds it), and how it reads the function's answer when the mapping
// reports batch item failures.

#include "lambdesk/engine/queue.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lambdesk::engine::triggers {

nlohmann::json sqsRecord(const ReceivedMessage &message, const std::string &queueArn,
                         const std::string &region);
std::string sqsEvent(const std::vector<nlohmann::json> &records);

// What a filter pattern is matched against: the record, its body parsed when it is JSON.
nlohmann::json sqsFilterView(const nlohmann::json &record);

// ReportBatchItemFailures: the message ids the function reported failed, empty when the batch
// succeeded (null or empty response, null or empty batchItemFailures); nullopt when the whole
// batch counts as failed (invalid JSON, an itemIdentifier empty, null, misnamed or unknown).
std::optional<std::set<std::string>> batchItemFailures(const std::string &response,
                                                       const std::set<std::string> &batchIds);

} // namespace lambdesk::engine::triggers
