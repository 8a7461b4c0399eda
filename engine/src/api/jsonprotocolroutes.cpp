// POST / with X-Amz-Target: one route for every AWS JSON protocol service, so that reading the
// target, the body and writing the answer or the error happen in one place.
#include "api/httpexchange.h"
#include "api/jsonprotocol.h"
#include "api/routes.h"

#include <array>
#include <utility>

namespace lambdesk::engine::api {

namespace {

struct JsonService {
    const char *targetPrefix;
    const char *contentType;
    const JsonOperations &(*operations)();
};

const std::array<JsonService, 1> kServices = {{
    {"AWSEvents.", "application/x-amz-json-1.1", eventsOperations},
}};

void serve(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const std::string target = req.get_header_value("X-Amz-Target");
    for (const JsonService &service : kServices) {
        const std::string_view prefix(service.targetPrefix);
        if (!target.starts_with(prefix))
            continue;
        const auto &operations = service.operations();
        const auto operation = operations.find(target.substr(prefix.size()));
        if (operation == operations.end())
            return sendJsonProtocolError(
                res, makeError(ErrorCode::UnknownOperation,
                               "The operation " + target + " is not supported here."));
        const auto body = readJsonBody(req);
        if (!body)
            return sendJsonProtocolError(res, body.error());
        const auto answer = operation->second(engine, *body);
        if (!answer)
            return sendJsonProtocolError(res, answer.error());
        res.status = 200;
        res.set_content(answer->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        service.contentType);
        return;
    }
    sendError(res, makeError(ErrorCode::UnknownOperation,
                             target.empty() ? std::string("No Lambda operation matches POST /")
                                            : "No service here takes X-Amz-Target " + target));
}

} // namespace

void registerJsonProtocolRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post("/", bindBody(context, [&engine = context.engine](const httplib::Request &req,
                                                                  httplib::Response &res) {
                    serve(engine, req, res);
                }));
}

} // namespace lambdesk::engine::api
