#pragma once
// The invocation record Lambda sends an asynchronous invocation's destination (version 1.0), and
// the message attributes it puts on a dead-letter queue's message. Pure: the caller gives times,
// counts and the function's answer.

#include <cstdint>
#include <optional>
#include <string>

namespace lambdesk::engine::triggers {

struct InvocationResponse {
    std::string executedVersion;
    std::string functionError; // "" on success, else Unhandled (or Handled)
    std::string payload;       // the function's answer or its error document
};

struct InvocationRecordInput {
    std::string requestId;
    std::string functionArn; // qualified: ...:function:NAME:$LATEST
    std::string condition;   // kConditionSuccess, kConditionRetriesExhausted, ...
    int approximateInvokeCount = 0;
    std::int64_t timestampMs = 0;
    std::string requestPayload;
    std::optional<InvocationResponse> response; // none when the function never ran
};

// {"version":"1.0","timestamp":...,"requestContext":{...},"requestPayload":...,
//  "responseContext":{...},"responsePayload":...}. Payloads that are JSON are embedded as JSON,
// anything else as a string.
std::string invocationRecord(const InvocationRecordInput &input);

// ErrorMessage of a dead-letter message: the error's message, at most 1 KiB, as Lambda cuts it.
std::string deadLetterErrorMessage(const std::string &errorDocument);

} // namespace lambdesk::engine::triggers
