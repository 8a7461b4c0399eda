#pragma once
// SQS's query protocol, as older clients (Debian's awscli and boto3) speak it: a form body
// "Action=SendMessage&QueueUrl=...&MessageAttribute.1.Name=..." becomes the JSON request that
// AWS JSON 1.0 would have carried, and a JSON answer becomes the <ActionResponse> XML document.

#include "lambdesk/engine/result.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lambdesk::engine::api {

inline constexpr const char *kSqsXmlNamespace = "http://queue.amazonaws.com/doc/2012-11-05/";

struct QueryRequest {
    std::string action;
    nlohmann::json body; // as the JSON protocol's request body
};

// MissingAction when the form names no Action.
Result<QueryRequest> parseQueryRequest(const std::string &formBody);

std::string queryResponseXml(const std::string &action, const nlohmann::json &answer,
                             const std::string &requestId);

} // namespace lambdesk::engine::api
