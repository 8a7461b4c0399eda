// Invoke: POST /2015-03-31/functions/{FunctionName}/invocations. The payload is the body; the
// invocation type, log type and client context come in X-Amz-* headers, and the function's
// outcome goes back in X-Amz-Function-Error / X-Amz-Log-Result / X-Amz-Executed-Version.

#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/routes.h"
#include "common/encoding.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

constexpr const char *kInvocations = R"(/2015-03-31/functions/([^/]+)/invocations/?)";

// Lambda's payload quotas: 6 MB synchronous, 256 KB asynchronous.
constexpr std::size_t kMaxSyncPayload = 6291456;
constexpr std::size_t kMaxAsyncPayload = 262144;
constexpr std::size_t kMaxClientContext = 3583;
constexpr std::size_t kMaxLogTail = 4096; // LogType Tail returns the last 4 KB

std::optional<InvocationType> readInvocationType(const httplib::Request &req, httplib::Response &res)
{
    const std::string value = req.get_header_value("X-Amz-Invocation-Type");
    if (value.empty() || value == "RequestResponse")
        return InvocationType::RequestResponse;
    if (value == "Event")
        return InvocationType::Event;
    if (value == "DryRun")
        return InvocationType::DryRun;
    sendValidationError(res, value, "invocationType",
                        "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
    return std::nullopt;
}

std::optional<bool> readTailLog(const httplib::Request &req, httplib::Response &res)
{
    const std::string value = req.get_header_value("X-Amz-Log-Type");
    if (value.empty() || value == "None")
        return false;
    if (value == "Tail")
        return true;
    sendValidationError(res, value, "logType", "Member must satisfy enum value set: [None, Tail]");
    return std::nullopt;
}

// X-Amz-Client-Context must be base64 of a JSON object; the runtime receives it as sent.
bool checkClientContext(const std::string &value, httplib::Response &res)
{
    if (value.empty())
        return true;
    if (value.size() > kMaxClientContext) {
        sendLambdaError(res, 400, "InvalidRequestContentException",
                        "Client context must be smaller than 3583 bytes");
        return false;
    }
    const auto decoded = common::base64Decode(value);
    if (!decoded || !nlohmann::json::accept(*decoded)) {
        sendLambdaError(res, 400, "InvalidRequestContentException",
                        "Client context must be a valid Base64-encoded JSON object.");
        return false;
    }
    return true;
}

bool checkPayload(const std::string &payload, InvocationType type, httplib::Response &res)
{
    const std::size_t limit = type == InvocationType::Event ? kMaxAsyncPayload : kMaxSyncPayload;
    if (payload.size() > limit) {
        sendLambdaError(res, 413, "RequestTooLargeException",
                        "Request must be smaller than " + std::to_string(limit)
                            + " bytes for the InvokeFunction operation");
        return false;
    }
    if (payload.find_first_not_of(" \t\r\n") == std::string::npos)
        return true; // an empty event, as Lambda allows
    if (const auto syntaxError = jsonSyntaxError(payload)) {
        sendLambdaError(res, 400, "InvalidRequestContentException",
                        "Could not parse request body into json: Could not parse payload into "
                        "json: " + *syntaxError);
        return false;
    }
    return true;
}

void invoke(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return;
    const auto type = readInvocationType(req, res);
    if (!type)
        return;
    const auto tailLog = readTailLog(req, res);
    if (!tailLog)
        return;
    std::string clientContext = req.get_header_value("X-Amz-Client-Context");
    if (!checkClientContext(clientContext, res) || !checkPayload(req.body, *type, res))
        return;

    InvokeRequest request;
    request.functionName = ref->name;
    request.qualifier = ref->qualifier;
    request.payload = req.body;
    request.type = *type;
    request.tailLog = *tailLog;
    request.clientContext = std::move(clientContext);
    auto result = engine.invoke(request);
    if (!result)
        return sendError(res, result.error());

    if (!result->record.requestId.empty())
        setRequestId(res, result->record.requestId);
    res.status = result->statusCode;
    if (result->statusCode != 200) // 202 Event, 204 DryRun: no body
        return;
    res.set_header("X-Amz-Executed-Version", result->executedVersion);
    if (result->functionError)
        res.set_header("X-Amz-Function-Error", *result->functionError);
    if (*tailLog) {
        const std::string &log = result->logTail;
        const std::size_t keep = std::min(log.size(), kMaxLogTail);
        res.set_header("X-Amz-Log-Result",
                       common::base64Encode(std::string_view(log).substr(log.size() - keep)));
    }
    res.set_content(result->payload, "application/json");
}

} // namespace

void registerInvokeRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kInvocations, bindEngineWithBody(context, invoke));
}

} // namespace lambdesk::engine::api
