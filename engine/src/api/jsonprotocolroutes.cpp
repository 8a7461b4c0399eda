// POST /: one route for the services besides Lambda, so that reading the operation and the body
// and writing the answer or the error happen in one place: the AWS JSON protocol services by
// X-Amz-Target, and SQS's query protocol by a form body's Action.
#include "api/httpexchange.h"
#include "api/jsonprotocol.h"
#include "api/queryprotocol.h"
#include "api/routes.h"
#include "api/sqserrors.h"

#include <array>
#include <utility>

namespace lambdesk::engine::api {

namespace {

using ErrorWriter = void (*)(httplib::Response &, const Error &);

struct JsonService {
    const char *targetPrefix;
    const char *contentType;
    const JsonOperations &(*operations)();
    ErrorWriter sendError;
};

const std::array<JsonService, 2> kServices = {{
    {"AWSEvents.", "application/x-amz-json-1.1", eventsOperations, sendJsonProtocolError},
    {kSqsTargetPrefix, "application/x-amz-json-1.0", sqsOperations, sendSqsJsonError},
}};

// An operation, with a member of an unexpected JSON type (which nlohmann reports by throwing)
// answered as the caller's mistake rather than a server error.
Result<nlohmann::json> run(JsonOperation operation, Engine &engine, const nlohmann::json &body,
                           const std::string &endpoint)
{
    try {
        return operation(engine, body, endpoint);
    } catch (const nlohmann::json::exception &malformed) {
        return makeError(ErrorCode::InvalidParameter,
                         std::string("A member of the request has the wrong type: ") +
                             malformed.what());
    }
}

Error unknownOperation(const std::string &name)
{
    return makeError(ErrorCode::UnknownOperation,
                     "The action or operation " + name + " is not valid for this endpoint.");
}

void serveJson(Engine &engine, const JsonService &service, const std::string &operationName,
               const httplib::Request &req, httplib::Response &res)
{
    const auto &operations = service.operations();
    const auto operation = operations.find(operationName);
    if (operation == operations.end())
        return service.sendError(res, unknownOperation(req.get_header_value("X-Amz-Target")));
    const auto body = readJsonBody(req);
    if (!body)
        return service.sendError(res, body.error());
    const auto answer = run(operation->second, engine, *body, requestBaseUrl(req));
    if (!answer)
        return service.sendError(res, answer.error());
    res.status = 200;
    res.set_content(answer->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    service.contentType);
}

void serveQuery(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto request = parseQueryRequest(req.body);
    if (!request)
        return sendQueryError(res, request.error());
    const auto &operations = sqsOperations();
    const auto operation = operations.find(request->action);
    if (operation == operations.end())
        return sendQueryError(res, unknownOperation(request->action));
    const auto answer = run(operation->second, engine, request->body, requestBaseUrl(req));
    if (!answer)
        return sendQueryError(res, answer.error());
    res.status = 200;
    res.set_content(
        queryResponseXml(request->action, *answer, res.get_header_value(kRequestIdHeader)),
        "text/xml");
}

void serve(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const std::string target = req.get_header_value("X-Amz-Target");
    for (const JsonService &service : kServices) {
        const std::string_view prefix(service.targetPrefix);
        if (target.starts_with(prefix))
            return serveJson(engine, service, target.substr(prefix.size()), req, res);
    }
    if (target.empty() && isQueryRequest(req))
        return serveQuery(engine, req, res);
    sendError(res, makeError(ErrorCode::UnknownOperation,
                             target.empty() ? std::string("No Lambda operation matches POST /")
                                            : "No service here takes X-Amz-Target " + target));
}

} // namespace

bool isQueryRequest(const httplib::Request &req)
{
    return req.method == "POST" && req.path == "/" && !req.has_header("X-Amz-Target") &&
           req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded");
}

void registerJsonProtocolRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post("/", bindBody(context, [&engine = context.engine](const httplib::Request &req,
                                                                  httplib::Response &res) {
                    serve(engine, req, res);
                }));
}

} // namespace lambdesk::engine::api
