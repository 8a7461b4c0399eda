// PutFunctionConcurrency and DeleteFunctionConcurrency (/2017-10-31/...), GetFunctionConcurrency
// (/2019-09-30/...): a function's reserved concurrency.

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kConcurrency = R"(/2017-10-31/functions/([^/]+)/concurrency/?)";
constexpr const char *kGetConcurrency = R"(/2019-09-30/functions/([^/]+)/concurrency/?)";

void putConcurrency(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto request = readFunctionRequest(req, res, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return;
    BodyReader reader(request->body, res);
    const auto reserved = reader.integer("ReservedConcurrentExecutions");
    if (!reader.ok())
        return;
    if (!reserved)
        return sendValidationError(res, "null", "reservedConcurrentExecutions",
                                   "Member must not be null");
    if (*reserved < 0)
        return sendValidationError(res, std::to_string(*reserved), "reservedConcurrentExecutions",
                                   "Member must have value greater than or equal to 0");
    if (auto put = engine.putFunctionConcurrency(request->ref.name, *reserved); !put)
        return sendError(res, put.error());
    sendJson(res, 200, {{"ReservedConcurrentExecutions", *reserved}});
}

void deleteConcurrency(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return;
    sendEmptyResult(res, engine.deleteFunctionConcurrency(ref->name), 204);
}

void getConcurrency(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return;
    sendResult(res, engine.getFunctionConcurrency(ref->name), 200, [](const auto &reserved) {
        json out = json::object();
        if (reserved)
            out["ReservedConcurrentExecutions"] = *reserved;
        return out;
    });
}

} // namespace

void registerConcurrencyRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Put(kConcurrency, bindEngineWithBody(context, putConcurrency));
    server.Delete(kConcurrency, bindEngine(context, deleteConcurrency));
    server.Get(kGetConcurrency, bindEngine(context, getConcurrency));
}

} // namespace lambdesk::engine::api
