#pragma once
// What every route file shares: a route answers Result<Reply>, and respond() is the one place
// where that becomes the HTTP response (an Error through lambdaErrorFor, the single mapping).
// Request parsers return Result<T> and never write a response. Only the API layer includes this
// (httplib stays out of public headers).

#include "lambdesk/engine/result.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>

namespace lambdesk::engine::api {

inline constexpr const char *kRequestIdHeader = "x-amzn-RequestId";
inline constexpr const char *kErrorTypeHeader = "x-amzn-ErrorType";

// A route's successful answer.
struct Reply {
    int status = 200;
    std::string body;
    std::string contentType;
    httplib::Headers headers;
    std::string requestId; // replaces the request's own x-amzn-RequestId when set (Invoke)
};

Reply jsonReply(int status, const nlohmann::json &body);
Reply emptyReply(int status);
// A download of zip bytes, named `fileName` for a browser or curl -J.
Reply zipReply(std::string bytes, const std::string &fileName);

// The tail of most handlers: the engine call's error, or `status` with toJson(value).
template <class T, class ToJson>
Result<Reply> jsonResult(const Result<T> &result, int status, ToJson &&toJson)
{
    if (!result)
        return result.error();
    return jsonReply(status, std::forward<ToJson>(toJson)(*result));
}

// For engine calls that return nothing: their error, or an empty `status` response.
Result<Reply> emptyResult(const Result<void> &result, int status);

// The one converter: a Reply as it is, an Error as a Lambda error document (x-amzn-ErrorType
// plus {"Type": "User"|"Service", message}).
void respond(httplib::Response &res, const Result<Reply> &result);
void sendError(httplib::Response &res, const Error &error);
// The same error as the AWS JSON protocol services (EventBridge, SQS) answer it: 400 for the
// caller's mistakes, 500 for ours, {"__type": type, "message"} and x-amzn-ErrorType.
void sendJsonProtocolError(httplib::Response &res, const Error &error);
// A refusal before any route ran (browser guard, signature): in the shape the request's
// protocol expects: SQS's for AmazonSQS.* and query requests, JSON 1.1 for another
// X-Amz-Target, Lambda's otherwise.
void sendRefusal(const httplib::Request &req, httplib::Response &res, const Error &error);

// ValidationException: "1 validation error detected: Value 'x' at 'field' failed to satisfy
// constraint: ...", the way AWS reports a request that breaks the model's rules.
Error validationError(const std::string &value, const std::string &field,
                      const std::string &constraint);

// The body as a JSON object; an empty body is {}. InvalidRequestContentException otherwise.
Result<nlohmann::json> readJsonBody(const httplib::Request &req);

std::string urlEncode(const std::string &text);

} // namespace lambdesk::engine::api
