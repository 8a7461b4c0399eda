#pragma once
// What the SQS operations share: reading the queue a request names, and the answers' URLs.

#include "api/bodyreader.h"
#include "api/jsonprotocol.h"

#include <string>

namespace lambdesk::engine::api {

// MissingParameter "The request must contain the parameter X."
Error missing(const char *parameter);
Result<std::string> requiredString(BodyReader &reader, const char *key);
// The queue a request names by QueueUrl (any host: only the name counts).
Result<std::string> queueOf(BodyReader &reader);
// http://host:port/ACCOUNT/NAME, on the host the client called.
std::string queueUrl(Engine &engine, const std::string &endpoint, const std::string &name);

const JsonOperations &sqsMessageOperations(); // sqsmessageroutes.cpp

} // namespace lambdesk::engine::api
