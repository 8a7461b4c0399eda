// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction,
// UpdateFunctionCode, UpdateFunctionConfiguration, and the code.zip download GetFunction links to.

#include "api/bodyreader.h"
#include "api/functionjson.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"
#include "common/encoding.h"

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kFunctions = R"(/2015-03-31/functions/?)";
constexpr const char *kFunction = R"(/2015-03-31/functions/([^/]+)/?)";
constexpr const char *kConfiguration = R"(/2015-03-31/functions/([^/]+)/configuration/?)";
constexpr const char *kCode = R"(/2015-03-31/functions/([^/]+)/code/?)";
constexpr const char *kCodeZip = R"(/2015-03-31/functions/([^/]+)/code\.zip)";

// Listings of several versions name $LATEST with a qualified ARN, as Lambda does.
json listedVersionJson(const FunctionInfo &info)
{
    json out = functionConfigurationJson(info);
    const std::string suffix = ":" + info.version;
    const std::string &arn = info.functionArn;
    if (arn.size() < suffix.size() || arn.compare(arn.size() - suffix.size(), suffix.size(), suffix) != 0)
        out["FunctionArn"] = arn + suffix;
    return out;
}

std::string codeLocation(const httplib::Request &req, const FunctionInfo &info)
{
    return requestBaseUrl(req) + "/2015-03-31/functions/" + urlEncode(info.config.name)
        + "/code.zip?Qualifier=" + urlEncode(info.version);
}

void createFunction(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto body = readJsonBody(req, res);
    if (!body)
        return;
    const auto input = readCreateFunction(*body, res);
    if (!input)
        return;
    sendResult(res, engine.createFunction(input->config, input->zipBytes, input->publish), 201,
               functionConfigurationJson);
}

void getFunction(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return;
    sendResult(res, engine.getFunction(ref->name, ref->qualifier), 200,
               [&req](const FunctionInfo &info) {
                   return getFunctionJson(info, codeLocation(req, info));
               });
}

void getConfiguration(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return;
    sendResult(res, engine.getFunction(ref->name, ref->qualifier), 200, functionConfigurationJson);
}

void listFunctions(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto page = readPageRequest(req, res);
    if (!page)
        return;
    bool allVersions = false;
    if (req.has_param("FunctionVersion")) {
        const std::string value = req.get_param_value("FunctionVersion");
        if (value != "ALL")
            return sendValidationError(res, value, "functionVersion",
                                       "Member must satisfy enum value set: [ALL]");
        allVersions = true;
    }

    // (sort key, configuration) pairs; the key orders by name, then version.
    std::vector<std::pair<std::string, json>> items;
    for (const FunctionInfo &function : engine.listFunctions()) {
        if (!allVersions) {
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
    std::sort(items.begin(), items.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<std::string> keys;
    keys.reserve(items.size());
    for (const auto &item : items)
        keys.push_back(item.first);

    const PageBounds bounds = pageBounds(keys, *page);
    json functions = json::array();
    for (std::size_t i = bounds.begin; i < bounds.end; ++i)
        functions.push_back(std::move(items[i].second));
    json out = {{"Functions", std::move(functions)}};
    if (bounds.nextMarker)
        out["NextMarker"] = *bounds.nextMarker;
    sendJson(res, 200, out);
}

void deleteFunction(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return;
    if (ref->qualifier == "$LATEST")
        return sendLambdaError(res, 400, "InvalidParameterValueException",
                               "$LATEST version cannot be deleted without deleting the function.");
    sendEmptyResult(res, engine.deleteFunction(ref->name, ref->qualifier), 204);
}

// DryRun validates the request and reports what the package would be, changing nothing.
void dryRunCodeUpdate(Engine &engine, const std::string &name, const std::string &zipBytes,
                      const std::optional<std::string> &revisionId, httplib::Response &res)
{
    auto info = engine.getFunction(name);
    if (!info)
        return sendError(res, info.error());
    if (revisionId && *revisionId != info->revisionId)
        return sendError(res, makeError(ErrorCode::PreconditionFailed,
                                        "The Revision Id provided does not match the latest "
                                        "Revision Id. Call the GetFunction API to retrieve the "
                                        "latest Revision Id"));
    info->codeSha256 = common::sha256Base64(zipBytes);
    info->codeSize = static_cast<std::int64_t>(zipBytes.size());
    sendJson(res, 200, functionConfigurationJson(*info));
}

void updateCode(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto request = readFunctionRequest(req, res, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return;
    const FunctionRef &ref = request->ref;
    BodyReader reader(request->body, res);
    if (reader.has("S3Bucket") || reader.has("S3Key") || reader.has("ImageUri"))
        return sendLambdaError(res, 400, "InvalidParameterValueException",
                               "lambdesk does not fetch code from S3 or container registries; "
                               "upload the .zip file as ZipFile");
    const auto zipText = reader.string("ZipFile");
    const bool publish = reader.boolean("Publish").value_or(false);
    const bool dryRun = reader.boolean("DryRun").value_or(false);
    const auto revisionId = reader.string("RevisionId");
    if (!reader.ok())
        return;
    if (!zipText)
        return sendLambdaError(res, 400, "InvalidParameterValueException",
                               "Please provide a source for function code (ZipFile).");
    const auto zipBytes = decodeZipFile(*zipText, res);
    if (!zipBytes)
        return;
    if (dryRun)
        return dryRunCodeUpdate(engine, ref.name, *zipBytes, revisionId, res);
    sendResult(res,
               engine.updateFunctionCode(ref.name, *zipBytes, revisionId.value_or(""), publish), 200,
               functionConfigurationJson);
}

void updateConfiguration(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto request = readFunctionRequest(req, res, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return;
    const auto patch = readConfigPatch(request->body, res);
    if (!patch)
        return;
    sendResult(res, engine.updateFunctionConfiguration(request->ref.name, *patch), 200,
               functionConfigurationJson);
}

void downloadCode(Engine &engine, const httplib::Request &req, httplib::Response &res)
{
    const auto ref = readFunctionRef(req, res, NameShape::Namespaced, QualifierUse::Accepted);
    if (!ref)
        return;
    auto zip = engine.codeZip(ref->name, ref->qualifier);
    if (!zip)
        return sendError(res, zip.error());
    res.status = 200;
    res.set_header("Content-Disposition", "attachment; filename=\"" + ref->name + ".zip\"");
    res.set_content(*zip, "application/zip");
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
