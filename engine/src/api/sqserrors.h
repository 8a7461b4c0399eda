#pragma once
// SQS's error shapes: one table (sqsErrorFor) gives each ErrorCode its status, its JSON 1.0
// __type and its query-protocol code, and the two writers put an error on the wire in the
// protocol the request came in.

#include "lambdesk/engine/result.h"

#include <httplib.h>

namespace lambdesk::engine::api {

struct SqsErrorShape {
    int status = 400;
    const char *type = "";      // JSON 1.0: "com.amazonaws.sqs#" + type
    const char *queryCode = ""; // query protocol's Code, and the x-amzn-query-error header
    bool senderFault = true;
};

SqsErrorShape sqsErrorFor(ErrorCode code);

// AWS JSON 1.0, query-compatible: {"__type", "message"} plus x-amzn-query-error "Code;Sender".
void sendSqsJsonError(httplib::Response &res, const Error &error);
// The query protocol's <ErrorResponse> document.
void sendQueryError(httplib::Response &res, const Error &error);

} // namespace lambdesk::engine::api
