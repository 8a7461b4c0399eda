#pragma once
// Response and request helpers shared by every route file: Lambda-shaped errors, JSON bodies,
// request ids. Only the API layer includes this (httplib stays out of public headers).

#include "lambdesk/engine/result.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace lambdesk::engine::api {

inline constexpr const char *kRequestIdHeader = "x-amzn-RequestId";
inline constexpr const char *kErrorTypeHeader = "x-amzn-ErrorType";

// Errors the API layer raises itself (request shape, not engine state).
inline constexpr const char *kValidationException = "ValidationException";
inline constexpr const char *kUnknownOperationException = "UnknownOperationException";

// Replaces any x-amzn-RequestId already set (Invoke reports the invocation's own id).
void setRequestId(httplib::Response &res, const std::string &requestId);

void sendJson(httplib::Response &res, int status, const nlohmann::json &body);
void sendEmpty(httplib::Response &res, int status);

// A Lambda error document: x-amzn-ErrorType header plus {"Type": "User"|"Service", message}.
// The message member is spelled as the model spells it for that error type.
void sendLambdaError(httplib::Response &res, int status, const std::string &type,
                     const std::string &message);
// Engine errors go through lambdaErrorFor, the single mapping.
void sendError(httplib::Response &res, const Error &error);

// The tail of most handlers: the engine call's error, or `status` with toJson(value).
template <class T, class ToJson>
void sendResult(httplib::Response &res, const Result<T> &result, int status, ToJson &&toJson)
{
    if (!result)
        return sendError(res, result.error());
    sendJson(res, status, toJson(*result));
}

// For engine calls that return nothing: their error, or an empty `status` response.
void sendEmptyResult(httplib::Response &res, const Result<void> &result, int status);

// Request parsers in the route files take the response and return nullopt after sending the
// error, so a handler reads: `auto body = readJsonBody(req, res); if (!body) return;`.

// nlohmann's description of why `text` is not JSON, nullopt when it is.
std::optional<std::string> jsonSyntaxError(const std::string &text);

// The body as a JSON object; an empty body is {}. Sends InvalidRequestContentException otherwise.
std::optional<nlohmann::json> readJsonBody(const httplib::Request &req, httplib::Response &res);

// ValidationException 400: "1 validation error detected: Value 'x' at 'field' failed to satisfy
// constraint: ...", the way AWS reports a request that breaks the model's rules.
void sendValidationError(httplib::Response &res, const std::string &value,
                         const std::string &field, const std::string &constraint);

std::string urlEncode(const std::string &text);

} // namespace lambdesk::engine::api
