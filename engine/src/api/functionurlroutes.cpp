// CreateFunctionUrlConfig, GetFunctionUrlConfig, UpdateFunctionUrlConfig,
// DeleteFunctionUrlConfig (/2021-10-31/functions/{FunctionName}/url) and ListFunctionUrlConfigs
// (/2021-10-31/functions/{FunctionName}/urls).

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kUrl = R"(/2021-10-31/functions/([^/]+)/url/?)";
constexpr const char *kUrls = R"(/2021-10-31/functions/([^/]+)/urls/?)";
constexpr std::size_t kMaxUrlsPerPage = 50; // "returns a maximum of 50 items in each response"

json corsJson(const FunctionUrlCors &cors)
{
    json out{{"AllowCredentials", cors.allowCredentials},
             {"AllowHeaders", cors.allowHeaders},
             {"AllowMethods", cors.allowMethods},
             {"AllowOrigins", cors.allowOrigins},
             {"ExposeHeaders", cors.exposeHeaders}};
    if (cors.maxAge)
        out["MaxAge"] = *cors.maxAge;
    return out;
}

// Shape FunctionUrlConfig (CreateFunctionUrlConfig's answer has no LastModifiedTime).
json urlJson(const FunctionUrlInfo &url, bool withLastModified = true)
{
    json out{{"FunctionUrl", url.functionUrl},
             {"FunctionArn", url.functionArn},
             {"AuthType", url.settings.authType},
             {"CreationTime", url.creationTime},
             {"InvokeMode", url.settings.invokeMode}};
    if (withLastModified)
        out["LastModifiedTime"] = url.lastModifiedTime;
    if (url.settings.cors)
        out["Cors"] = corsJson(*url.settings.cors);
    return out;
}

// The Cors member: nullopt when absent; the reader's failure() names a malformed member.
std::optional<FunctionUrlCors> readCors(BodyReader &body)
{
    auto reader = body.object("Cors");
    if (!reader)
        return std::nullopt;
    FunctionUrlCors cors;
    cors.allowCredentials = reader->boolean("AllowCredentials").value_or(false);
    cors.allowHeaders = reader->stringList("AllowHeaders").value_or(std::vector<std::string>{});
    cors.allowMethods = reader->stringList("AllowMethods").value_or(std::vector<std::string>{});
    cors.allowOrigins = reader->stringList("AllowOrigins").value_or(std::vector<std::string>{});
    cors.exposeHeaders = reader->stringList("ExposeHeaders").value_or(std::vector<std::string>{});
    cors.maxAge = reader->integer("MaxAge");
    return cors;
}

Result<Reply> createUrl(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Accepted);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    const auto authType = reader.string("AuthType");
    FunctionUrlSettings settings;
    settings.cors = readCors(reader);
    settings.invokeMode = reader.string("InvokeMode").value_or(kInvokeModeBuffered);
    if (auto failure = reader.failure())
        return *failure;
    if (!authType)
        return validationError("null", "authType", "Member must not be null");
    settings.authType = *authType;
    return jsonResult(engine.createFunctionUrl(request->ref.name, request->ref.qualifier, settings),
                      201, [](const FunctionUrlInfo &url) { return urlJson(url, false); });
}

Result<Reply> getUrl(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return jsonResult(engine.getFunctionUrl(ref->name, ref->qualifier), 200,
                      [](const FunctionUrlInfo &url) { return urlJson(url); });
}

Result<Reply> updateUrl(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Accepted);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    FunctionUrlPatch patch;
    patch.authType = reader.string("AuthType");
    patch.cors = readCors(reader);
    patch.invokeMode = reader.string("InvokeMode");
    if (auto failure = reader.failure())
        return *failure;
    return jsonResult(engine.updateFunctionUrl(request->ref.name, request->ref.qualifier, patch),
                      200, [](const FunctionUrlInfo &url) { return urlJson(url); });
}

Result<Reply> deleteUrl(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return emptyResult(engine.deleteFunctionUrl(ref->name, ref->qualifier), 204);
}

Result<Reply> listUrls(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return ref.error();
    auto page = readPageRequest(req, kMaxUrlsPerPage);
    if (!page)
        return page.error();
    page->maxItems = std::min(page->maxItems, kMaxUrlsPerPage);
    auto urls = engine.listFunctionUrls(ref->name);
    if (!urls)
        return urls.error();
    std::vector<std::pair<std::string, json>> items;
    for (const FunctionUrlInfo &url : *urls)
        // "$LATEST" sorts before every alias name, and is never an empty marker.
        items.emplace_back(url.qualifier.empty() ? "$LATEST" : url.qualifier, urlJson(url));
    return jsonReply(200, pageJson("FunctionUrlConfigs", std::move(items), *page));
}

} // namespace

void registerFunctionUrlRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kUrl, bindEngineWithBody(context, createUrl));
    server.Get(kUrl, bindEngine(context, getUrl));
    server.Put(kUrl, bindEngineWithBody(context, updateUrl));
    server.Delete(kUrl, bindEngine(context, deleteUrl));
    server.Get(kUrls, bindEngine(context, listUrls));
}

} // namespace lambdesk::engine::api
