// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction,
// UpdateFunctionCode, UpdateFunctionConfiguration, and the code.zip download GetFunction links to.

#include "api/bodyreader.h"
#include "api/functionjson.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kFunctions = R"(/2015-03-31/functions/?)";
constexpr const char *kFunction = R"(/2015-03-31/functions/([^/]+)/?)";
constexpr const char *kConfiguration = R"(/2015-03-31/functions/([^/]+)/configuration/?)";
constexpr const char *kCode = R"(/2015-03-31/functions/([^/]+)/code/?)";
constexpr const char *kCodeZip = R"(/2015-03-31/functions/([^/]+)/code\.zip)";

std::string codeLocation(const httplib::Request &req, const FunctionInfo &info)
{
    return requestBaseUrl(req) + "/2015-03-31/functions/" + urlEncode(info.config.name)
        + "/code.zip?Qualifier=" + urlEncode(info.version);
}

Result<Reply> createFunction(Engine &engine, const httplib::Request &req)
{
    const auto body = readJsonBody(req);
    if (!body)
        return body.error();
    const auto input = readCreateFunction(*body);
    if (!input)
        return input.error();
    return jsonResult(engine.createFunction(input->config, input->zipBytes, input->publish), 201,
                      functionConfigurationJson);
}

Result<Reply> getFunction(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return jsonResult(engine.getFunction(ref->name, ref->qualifier), 200,
                      [&req](const FunctionInfo &info) {
                          return getFunctionJson(info, codeLocation(req, info));
                      });
}

Result<Reply> getConfiguration(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return jsonResult(engine.getFunction(ref->name, ref->qualifier), 200,
                      functionConfigurationJson);
}

Result<bool> readAllVersions(const httplib::Request &req)
{
    if (!req.has_param("FunctionVersion"))
        return false;
    const std::string value = req.get_param_value("FunctionVersion");
    if (value != "ALL")
        return validationError(value, "functionVersion",
                               "Member must satisfy enum value set: [ALL]");
    return true;
}

Result<Reply> listFunctions(Engine &engine, const httplib::Request &req)
{
    const auto page = readPageRequest(req);
    if (!page)
        return page.error();
    const auto allVersions = readAllVersions(req);
    if (!allVersions)
        return allVersions.error();

    // (sort key, configuration) pairs; the key orders by name, then version.
    std::vector<std::pair<std::string, json>> items;
    for (const FunctionInfo &function : engine.listFunctions()) {
        if (!*allVersions) {
            items.emplace_back(function.config.name, functionConfigurationJson(function));
            continue;
        }
        auto versions = engine.listVersions(function.config.name);
        if (!versions)
            continue; // deleted since listFunctions() returned it
        for (const FunctionInfo &version : *versions) {
            // '\x01' sorts below every name character, keeping "a" before "a-b".
            items.emplace_back(function.config.name + '\x01' + versionSortKey(version.version),
                               listedVersionJson(version));
        }
    }
    return jsonReply(200, pageJson("Functions", std::move(items), *page));
}

// $LATEST is the store's to refuse ("cannot be deleted without deleting the function").
Result<Reply> deleteFunction(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return emptyResult(engine.deleteFunction(ref->name, ref->qualifier), 204);
}

Result<Reply> updateCode(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return request.error();
    const FunctionRef &ref = request->ref;
    BodyReader reader(request->body);
    if (reader.has("S3Bucket") || reader.has("S3Key") || reader.has("ImageUri"))
        return makeError(ErrorCode::InvalidParameter,
                         "lambdesk does not fetch code from S3 or container registries; "
                         "upload the .zip file as ZipFile");
    const auto zipText = reader.string("ZipFile");
    const bool publish = reader.boolean("Publish").value_or(false);
    const bool dryRun = reader.boolean("DryRun").value_or(false);
    const auto revisionId = reader.string("RevisionId").value_or("");
    if (auto failure = reader.failure())
        return *failure;
    if (!zipText)
        return makeError(ErrorCode::InvalidParameter,
                         "Please provide a source for function code (ZipFile).");
    const auto zipBytes = decodeZipFile(*zipText);
    if (!zipBytes)
        return zipBytes.error();
    if (dryRun)
        return jsonResult(engine.checkFunctionCode(ref.name, *zipBytes, revisionId), 200,
                          functionConfigurationJson);
    return jsonResult(engine.updateFunctionCode(ref.name, *zipBytes, revisionId, publish), 200,
                      functionConfigurationJson);
}

Result<Reply> updateConfiguration(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return request.error();
    const auto patch = readConfigPatch(request->body);
    if (!patch)
        return patch.error();
    return jsonResult(engine.updateFunctionConfiguration(request->ref.name, *patch), 200,
                      functionConfigurationJson);
}

Result<Reply> downloadCode(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    auto zip = engine.codeZip(ref->name, ref->qualifier);
    if (!zip)
        return zip.error();
    return zipReply(std::move(*zip), ref->name + ".zip");
}

} // namespace

void registerFunctionRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kFunctions, bindEngineWithBody(context, createFunction));
    server.Get(kFunctions, bindEngine(context, listFunctions));
    server.Get(kCodeZip, bindEngine(context, downloadCode));
    server.Get(kConfiguration, bindEngine(context, getConfiguration));
    server.Put(kConfiguration, bindEngineWithBody(context, updateConfiguration));
    server.Put(kCode, bindEngineWithBody(context, updateCode));
    server.Get(kFunction, bindEngine(context, getFunction));
    server.Delete(kFunction, bindEngine(context, deleteFunction));
}

} // namespace lambdesk::engine::api
