#pragma once
// The services that speak the AWS JSON protocol on the API's endpoint: POST / with
// X-Amz-Target "<prefix>.<Operation>" and a JSON body. Each service is a table of operations;
// jsonprotocolroutes.cpp reads the request and writes the answer for all of them.

#include "lambdesk/engine/engine.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace lambdesk::engine::api {

using JsonOperation = Result<nlohmann::json> (*)(Engine &, const nlohmann::json &body);
using JsonOperations = std::map<std::string, JsonOperation>;

const JsonOperations &eventsOperations(); // AWSEvents.* (eventsroutes.cpp)

} // namespace lambdesk::engine::api
