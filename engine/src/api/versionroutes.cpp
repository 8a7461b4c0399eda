// PublishVersion and ListVersionsByFunction (/2015-03-31/functions/{FunctionName}/versions).

#include "api/bodyreader.h"
#include "api/functionjson.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kVersions = R"(/2015-03-31/functions/([^/]+)/versions/?)";

void publishVersion(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto request = readFunctionRequest(req, res, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return;
    BodyReader reader(request->body, res);
    const auto codeSha256 = reader.string("CodeSha256").value_or("");
    const auto description = reader.string("Description").value_or("");
    const auto revisionId = reader.string("RevisionId").value_or("");
    if (!reader.ok())
        return;
    sendResult(res, engine.publishVersion(request->ref.name, description, codeSha256, revisionId),
               201, functionConfigurationJson);
}

void listVersions(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Namespaced, QualifierUse::Rejected);
    if (!ref)
        return;
    const auto page = readPageRequest(req, res);
    if (!page)
        return;
    auto versions = engine.listVersions(ref->name);
    if (!versions)
        return sendError(res, versions.error());

    std::vector<std::pair<std::string, const FunctionInfo *>> items;
    for (const FunctionInfo &version : *versions)
        items.emplace_back(versionSortKey(version.version), &version);
    std::sort(items.begin(), items.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> keys;
    for (const auto &item : items)
        keys.push_back(item.first);

    const PageBounds bounds = pageBounds(keys, *page);
    json list = json::array();
    for (std::size_t i = bounds.begin; i < bounds.end; ++i) {
        const FunctionInfo &info = *items[i].second;
        json item = functionConfigurationJson(info);
        // Lambda lists $LATEST with a qualified ARN here.
        if (info.version == "$LATEST" && info.functionArn.find(":$LATEST") == std::string::npos)
            item["FunctionArn"] = info.functionArn + ":$LATEST";
        list.push_back(std::move(item));
    }
    json out = {{"Versions", std::move(list)}};
    if (bounds.nextMarker)
        out["NextMarker"] = *bounds.nextMarker;
    sendJson(res, 200, out);
}

} // namespace

void registerVersionRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kVersions, bindEngineWithBody(context, publishVersion));
    server.Get(kVersions, bindEngine(context, listVersions));
}

} // namespace lambdesk::engine::api
