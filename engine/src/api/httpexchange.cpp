#include "api/httpexchange.h"

#include "lambdesk/engine/validation.h"

#include "api/jsonprotocol.h"
#include "api/routes.h"
#include "api/sigv4.h"
#include "api/sqserrors.h"
#include "common/jsonsyntax.h"
#include "lambdesk/engine/apiserver.h"

namespace lambdesk::engine::api {

Reply jsonReply(int status, const nlohmann::json &body)
{
    Reply reply;
    reply.status = status;
    reply.body = body.dump();
    reply.contentType = "application/json";
    return reply;
}

Reply emptyReply(int status)
{
    Reply reply;
    reply.status = status;
    return reply;
}

Reply zipReply(std::string bytes, const std::string &fileName)
{
    Reply reply;
    reply.headers.emplace("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    reply.body = std::move(bytes);
    reply.contentType = "application/zip";
    return reply;
}

Result<Reply> emptyResult(const Result<void> &result, int status)
{
    if (!result)
        return result.error();
    return emptyReply(status);
}

void sendError(httplib::Response &res, const Error &error)
{
    const LambdaErrorShape shape = lambdaErrorFor(error.code);
    nlohmann::json body;
    body["Type"] = shape.status >= 500 ? "Service" : "User";
    body[shape.capitalMessage ? "Message" : "message"] = error.message;
    res.headers.erase(kErrorTypeHeader);
    res.set_header(kErrorTypeHeader, shape.type);
    res.status = shape.status;
    // Messages may quote user input that is not valid UTF-8; replace rather than throw.
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json");
}

void sendJsonProtocolError(httplib::Response &res, const Error &error)
{
    const LambdaErrorShape shape = lambdaErrorFor(error.code);
    nlohmann::json body{{"__type", shape.type}, {"message", error.message}};
    res.headers.erase(kErrorTypeHeader);
    res.set_header(kErrorTypeHeader, shape.type);
    // The caller's mistakes are 400 in these protocols; a refusal (403) keeps its status.
    res.status = shape.status >= 500 ? 500 : shape.status == 403 ? 403 : 400;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/x-amz-json-1.1");
}

void sendRefusal(const httplib::Request &req, httplib::Response &res, const Error &error)
{
    if (req.get_header_value("X-Amz-Target").starts_with(kSqsTargetPrefix))
        return sendSqsJsonError(res, error);
    if (req.has_header("X-Amz-Target"))
        return sendJsonProtocolError(res, error);
    if (isQueryRequest(req))
        return sendQueryError(res, error);
    sendError(res, error);
}

void respond(httplib::Response &res, const Result<Reply> &result)
{
    if (!result)
        return sendError(res, result.error());
    const Reply &reply = *result;
    if (!reply.requestId.empty()) {
        res.headers.erase(kRequestIdHeader);
        res.set_header(kRequestIdHeader, reply.requestId);
    }
    for (const auto &[name, value] : reply.headers)
        res.set_header(name, value);
    res.status = reply.status;
    if (reply.contentType.empty())
        res.body.clear();
    else
        res.set_content(reply.body, reply.contentType);
}

Error validationError(const std::string &value, const std::string &field,
                      const std::string &constraint)
{
    return constraintError(value, field, constraint);
}

Result<nlohmann::json> readJsonBody(const httplib::Request &req)
{
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return nlohmann::json::object();
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded()) {
        return makeError(ErrorCode::InvalidRequestContent,
                         "Could not parse request body into json: " +
                             common::jsonSyntaxError(req.body).value_or("invalid JSON"));
    }
    if (!body.is_object()) {
        return makeError(ErrorCode::InvalidRequestContent,
                         "Could not parse request body into json: expected a JSON object, got " +
                             std::string(body.type_name()));
    }
    return body;
}

std::string urlEncode(const std::string &text)
{
    return sigv4::uriEncode(text, false); // RFC 3986 unreserved characters stay, as SigV4 encodes
}

} // namespace lambdesk::engine::api
