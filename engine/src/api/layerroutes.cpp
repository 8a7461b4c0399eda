// PublishLayerVersion, ListLayers, ListLayerVersions, GetLayerVersion, GetLayerVersionByArn,
// DeleteLayerVersion (/2018-10-31/layers...), and the content.zip download that a version's
// Content.Location links to.

#include "api/bodyreader.h"
#include "api/functionjson.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"
#include "lambdesk/engine/validation.h"

#include <charconv>
#include <limits>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kLayers = R"(/2018-10-31/layers/?)";
constexpr const char *kVersions = R"(/2018-10-31/layers/([^/]+)/versions/?)";
constexpr const char *kVersion = R"(/2018-10-31/layers/([^/]+)/versions/([^/]+)/?)";
constexpr const char *kContentZip = R"(/2018-10-31/layers/([^/]+)/versions/([^/]+)/content\.zip)";
constexpr std::size_t kMaxLayerListItems = 50;

Result<std::int64_t> readVersionNumber(const httplib::Request &req)
{
    const std::string text = req.matches[2].str();
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size())
        return makeError(ErrorCode::InvalidParameter,
                         "VersionNumber must be a number, got '" + text + "'");
    return number;
}

Result<PageRequest> readLayerPage(const httplib::Request &req)
{
    auto page = readPageRequest(req, kMaxLayerListItems);
    if (page && page->maxItems > kMaxLayerListItems)
        return validationError(req.get_param_value("MaxItems"), "maxItems",
                               "Member must have value less than or equal to 50");
    return page;
}

LayerFilter readFilter(const httplib::Request &req)
{
    return {req.get_param_value("CompatibleRuntime"),
            req.get_param_value("CompatibleArchitecture")};
}

// Shape LayerVersionsListItem.
json listItemJson(const LayerVersionInfo &info)
{
    json out{{"LayerVersionArn", info.layerVersionArn},
             {"Version", info.version},
             {"Description", info.description},
             {"CreatedDate", info.createdDate},
             {"CompatibleRuntimes", info.compatibleRuntimes},
             {"CompatibleArchitectures", info.compatibleArchitectures}};
    if (!info.licenseInfo.empty())
        out["LicenseInfo"] = info.licenseInfo;
    return out;
}

// Shape GetLayerVersionResponse (PublishLayerVersionResponse is the same).
json versionJson(const httplib::Request &req, const LayerVersionInfo &info)
{
    json out = listItemJson(info);
    out.erase("LayerVersionArn");
    out["LayerArn"] = info.layerArn;
    out["LayerVersionArn"] = info.layerVersionArn;
    out["Content"] = {{"Location", requestBaseUrl(req) + "/2018-10-31/layers/" +
                                       urlEncode(info.layerName) + "/versions/" +
                                       std::to_string(info.version) + "/content.zip"},
                      {"CodeSha256", info.codeSha256},
                      {"CodeSize", info.codeSize}};
    return out;
}

// Newest version first, as Lambda lists them; the key keeps that order across pages.
std::string newestFirstKey(std::int64_t version)
{
    std::string digits = std::to_string(std::numeric_limits<std::int64_t>::max() - version);
    return std::string(20 - digits.size(), '0') + digits;
}

Result<Reply> publishLayerVersion(Engine &engine, const httplib::Request &req)
{
    const auto body = readJsonBody(req);
    if (!body)
        return body.error();
    BodyReader reader(*body);
    LayerVersionInput input;
    input.layerName = req.matches[1].str();
    input.description = reader.string("Description").value_or("");
    input.licenseInfo = reader.string("LicenseInfo").value_or("");
    input.compatibleRuntimes =
        reader.stringList("CompatibleRuntimes").value_or(std::vector<std::string>{});
    input.compatibleArchitectures =
        reader.stringList("CompatibleArchitectures").value_or(std::vector<std::string>{});
    auto content = reader.object("Content");
    std::optional<std::string> zipText = content ? content->string("ZipFile") : std::nullopt;
    const bool fromS3 = content && content->has("S3Bucket");
    if (auto failure = reader.failure())
        return *failure;
    if (!content)
        return validationError("null", "content", "Member must not be null");
    if (fromS3 && !zipText)
        return makeError(ErrorCode::InvalidParameter,
                         "Lambdesk has no S3: send the layer's content as Content.ZipFile");
    if (!zipText)
        return makeError(ErrorCode::InvalidParameter, "Uploaded file must be a non-empty zip");
    const auto zipBytes = decodeZipFile(*zipText);
    if (!zipBytes)
        return zipBytes.error();
    auto published = engine.publishLayerVersion(input, *zipBytes);
    if (!published)
        return published.error();
    return jsonReply(201, versionJson(req, *published));
}

Result<Reply> listLayers(Engine &engine, const httplib::Request &req)
{
    if (req.get_param_value("find") == "LayerVersion") {
        // GetLayerVersionByArn shares the path; its query tells it apart.
        auto found = engine.getLayerVersionByArn(req.get_param_value("Arn"));
        if (!found)
            return found.error();
        return jsonReply(200, versionJson(req, *found));
    }
    const auto page = readLayerPage(req);
    if (!page)
        return page.error();
    std::vector<std::pair<std::string, json>> items;
    for (const LayerVersionInfo &info : engine.listLayers(readFilter(req)))
        items.emplace_back(info.layerName, json{{"LayerName", info.layerName},
                                                {"LayerArn", info.layerArn},
                                                {"LatestMatchingVersion", listItemJson(info)}});
    return jsonReply(200, pageJson("Layers", std::move(items), *page));
}

Result<Reply> listLayerVersions(Engine &engine, const httplib::Request &req)
{
    if (auto name = parseLayerName(req.matches[1].str()); !name)
        return name.error();
    const auto page = readLayerPage(req);
    if (!page)
        return page.error();
    std::vector<std::pair<std::string, json>> items;
    for (const LayerVersionInfo &info :
         engine.listLayerVersions(req.matches[1].str(), readFilter(req)))
        items.emplace_back(newestFirstKey(info.version), listItemJson(info));
    return jsonReply(200, pageJson("LayerVersions", std::move(items), *page));
}

Result<Reply> getLayerVersion(Engine &engine, const httplib::Request &req)
{
    const auto version = readVersionNumber(req);
    if (!version)
        return version.error();
    auto found = engine.getLayerVersion(req.matches[1].str(), *version);
    if (!found)
        return found.error();
    return jsonReply(200, versionJson(req, *found));
}

Result<Reply> deleteLayerVersion(Engine &engine, const httplib::Request &req)
{
    const auto version = readVersionNumber(req);
    if (!version)
        return version.error();
    return emptyResult(engine.deleteLayerVersion(req.matches[1].str(), *version), 204);
}

Result<Reply> downloadContent(Engine &engine, const httplib::Request &req)
{
    const auto version = readVersionNumber(req);
    if (!version)
        return version.error();
    auto zip = engine.layerZip(req.matches[1].str(), *version);
    if (!zip)
        return zip.error();
    return zipReply(std::move(*zip),
                    req.matches[1].str() + "-" + std::to_string(*version) + ".zip");
}

} // namespace

void registerLayerRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Get(kLayers, bindEngine(context, listLayers));
    server.Post(kVersions, bindEngineWithBody(context, publishLayerVersion));
    server.Get(kVersions, bindEngine(context, listLayerVersions));
    server.Get(kContentZip, bindEngine(context, downloadContent));
    server.Get(kVersion, bindEngine(context, getLayerVersion));
    server.Delete(kVersion, bindEngine(context, deleteLayerVersion));
}

} // namespace lambdesk::engine::api
