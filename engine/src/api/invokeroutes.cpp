// Invoke: POST /2015-03-31/functions/{FunctionName}/invocations. The payload is the body; the
// invocation type, log type and client context come in X-Amz-* headers, and the function's
// outcome goes back in X-Amz-Function-Error / X-Amz-Log-Result / X-Amz-Executed-Version.

#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/routes.h"
#include "common/encoding.h"

namespace lambdesk::engine::api {

namespace {

constexpr const char *kInvocations = R"(/2015-03-31/functions/([^/]+)/invocations/?)";

Result<InvocationType> readInvocationType(const httplib::Request &req)
{
    const std::string value = req.get_header_value("X-Amz-Invocation-Type");
    if (value.empty() || value == "RequestResponse")
        return InvocationType::RequestResponse;
    if (value == "Event")
        return InvocationType::Event;
    if (value == "DryRun")
        return InvocationType::DryRun;
    return validationError(value, "invocationType",
                           "Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
}

Result<bool> readTailLog(const httplib::Request &req)
{
    const std::string value = req.get_header_value("X-Amz-Log-Type");
    if (value.empty() || value == "None")
        return false;
    if (value == "Tail")
        return true;
    return validationError(value, "logType", "Member must satisfy enum value set: [None, Tail]");
}

// The quotas and the payload's JSON check are the engine's (Engine::invoke).
Result<Reply> invoke(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    const auto type = readInvocationType(req);
    if (!type)
        return type.error();
    const auto tailLog = readTailLog(req);
    if (!tailLog)
        return tailLog.error();

    InvokeRequest request;
    request.functionName = ref->name;
    request.qualifier = ref->qualifier;
    request.payload = req.body;
    request.type = *type;
    request.tailLog = *tailLog;
    request.clientContext = req.get_header_value("X-Amz-Client-Context");
    auto result = engine.invoke(request);
    if (!result)
        return result.error();

    Reply reply;
    reply.requestId = result->record.requestId;
    reply.status = result->statusCode;
    if (result->statusCode != 200) // 202 Event, 204 DryRun: no body
        return reply;
    reply.headers.emplace("X-Amz-Executed-Version", result->executedVersion);
    if (result->functionError)
        reply.headers.emplace("X-Amz-Function-Error", *result->functionError);
    if (*tailLog) // the engine keeps the last 4 KB, as LogType Tail returns
        reply.headers.emplace("X-Amz-Log-Result", common::base64Encode(result->logTail));
    reply.body = std::move(result->payload);
    reply.contentType = "application/json";
    return reply;
}

} // namespace

void registerInvokeRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kInvocations, bindEngineWithBody(context, invoke));
}

} // namespace lambdesk::engine::api
