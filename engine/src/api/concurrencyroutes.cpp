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

Result<Reply> putConcurrency(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    const auto reserved = reader.integer("ReservedConcurrentExecutions");
    if (auto failure = reader.failure())
        return *failure;
    if (!reserved)
        return validationError("null", "reservedConcurrentExecutions", "Member must not be null");
    if (*reserved < 0)
        return validationError(std::to_string(*reserved), "reservedConcurrentExecutions",
                               "Member must have value greater than or equal to 0");
    if (auto put = engine.putFunctionConcurrency(request->ref.name, *reserved); !put)
        return put.error();
    return jsonReply(200, {{"ReservedConcurrentExecutions", *reserved}});
}

Result<Reply> deleteConcurrency(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return ref.error();
    return emptyResult(engine.deleteFunctionConcurrency(ref->name), 204);
}

Result<Reply> getConcurrency(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return ref.error();
    return jsonResult(engine.getFunctionConcurrency(ref->name), 200, [](const auto &reserved) {
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
