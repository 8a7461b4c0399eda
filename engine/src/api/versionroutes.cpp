// PublishVersion and ListVersionsByFunction (/2015-03-31/functions/{FunctionName}/versions).

#include "api/bodyreader.h"
#include "api/functionjson.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kVersions = R"(/2015-03-31/functions/([^/]+)/versions/?)";

Result<Reply> publishVersion(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    const auto codeSha256 = reader.string("CodeSha256").value_or("");
    const auto description = reader.string("Description").value_or("");
    const auto revisionId = reader.string("RevisionId").value_or("");
    if (auto failure = reader.failure())
        return *failure;
    return jsonResult(engine.publishVersion(request->ref.name, description, codeSha256, revisionId),
                      201, functionConfigurationJson);
}

Result<Reply> listVersions(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Rejected);
    if (!ref)
        return ref.error();
    const auto page = readPageRequest(req);
    if (!page)
        return page.error();
    auto versions = engine.listVersions(ref->name);
    if (!versions)
        return versions.error();

    std::vector<std::pair<std::string, json>> items;
    for (const FunctionInfo &info : *versions) {
        items.emplace_back(versionSortKey(info.version), listedVersionJson(info));
    }
    return jsonReply(200, pageJson("Versions", std::move(items), *page));
}

} // namespace

void registerVersionRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kVersions, bindEngineWithBody(context, publishVersion));
    server.Get(kVersions, bindEngine(context, listVersions));
}

} // namespace lambdesk::engine::api
