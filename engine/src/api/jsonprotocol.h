#pragma once
// The services on the API's own endpoint besides Lambda, at POST /: those that speak the AWS JSON
// protocol (X-Amz-Target "<prefix>.<Operation>" and a JSON body) and SQS, which older clients
// also call in the query protocol (a form body with Action=...). Each service is a table of
// operations taking and giving JSON; jsonprotocolroutes.cpp reads requests and writes answers
// for all of them, and queryprotocol.cpp turns a query request into the same JSON and the JSON
// answer into the query protocol's XML.

#include "lambdesk/engine/engine.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace lambdesk::engine::api {

// `endpoint`: the URL the client called (http://127.0.0.1:9000), for URLs in answers.
using JsonOperation = Result<nlohmann::json> (*)(Engine &, const nlohmann::json &body,
                                                 const std::string &endpoint);
using JsonOperations = std::map<std::string, JsonOperation>;

const JsonOperations &eventsOperations(); // AWSEvents.* (eventsroutes.cpp)
const JsonOperations &sqsOperations();    // AmazonSQS.* and query Actions (sqsqueueroutes.cpp)

inline constexpr const char *kSqsTargetPrefix = "AmazonSQS.";

} // namespace lambdesk::engine::api
