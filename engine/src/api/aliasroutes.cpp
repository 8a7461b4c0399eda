// CreateAlias, GetAlias, ListAliases, UpdateAlias, DeleteAlias
// (/2015-03-31/functions/{FunctionName}/aliases[/{Name}]).

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kAliases = R"(/2015-03-31/functions/([^/]+)/aliases/?)";
constexpr const char *kAlias = R"(/2015-03-31/functions/([^/]+)/aliases/([^/]+)/?)";

// Shape AliasConfiguration.
json aliasJson(const AliasInfo &alias)
{
    json out{{"AliasArn", alias.aliasArn},
             {"Name", alias.config.name},
             {"FunctionVersion", alias.config.functionVersion},
             {"Description", alias.config.description},
             {"RevisionId", alias.revisionId}};
    if (!alias.config.additionalVersionWeights.empty())
        out["RoutingConfig"] = {
            {"AdditionalVersionWeights", alias.config.additionalVersionWeights}};
    return out;
}

// RoutingConfig.AdditionalVersionWeights: nullopt when absent, an error when malformed.
Result<std::optional<std::map<std::string, double>>> readWeights(const json &body)
{
    const auto routing = body.find("RoutingConfig");
    if (routing == body.end() || routing->is_null())
        return std::optional<std::map<std::string, double>>{};
    const auto malformed =
        makeError(ErrorCode::InvalidRequestContent,
                  "RoutingConfig.AdditionalVersionWeights must map version numbers to weights");
    if (!routing->is_object())
        return malformed;
    const auto weights = routing->find("AdditionalVersionWeights");
    std::map<std::string, double> parsed;
    if (weights != routing->end() && !weights->is_null()) {
        if (!weights->is_object())
            return malformed;
        for (const auto &[version, weight] : weights->items()) {
            if (!weight.is_number())
                return malformed;
            parsed[version] = weight.get<double>();
        }
    }
    return std::optional<std::map<std::string, double>>{std::move(parsed)};
}

// The {FunctionName} of an alias route: a name or ARN without a qualifier.
Result<std::string> readFunctionName(const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return ref.error();
    return ref->name;
}

Result<Reply> createAlias(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    AliasConfig alias;
    const auto name = reader.string("Name");
    const auto version = reader.string("FunctionVersion");
    alias.description = reader.string("Description").value_or("");
    if (auto failure = reader.failure())
        return *failure;
    if (!name)
        return validationError("null", "name", "Member must not be null");
    if (!version)
        return validationError("null", "functionVersion", "Member must not be null");
    alias.name = *name;
    alias.functionVersion = *version;
    auto weights = readWeights(request->body);
    if (!weights)
        return weights.error();
    alias.additionalVersionWeights = weights->value_or(std::map<std::string, double>{});
    return jsonResult(engine.createAlias(request->ref.name, alias), 201, aliasJson);
}

Result<Reply> getAlias(Engine &engine, const httplib::Request &req)
{
    const auto function = readFunctionName(req);
    if (!function)
        return function.error();
    return jsonResult(engine.getAlias(*function, req.matches[2].str()), 200, aliasJson);
}

Result<Reply> listAliases(Engine &engine, const httplib::Request &req)
{
    const auto function = readFunctionName(req);
    if (!function)
        return function.error();
    const auto page = readPageRequest(req);
    if (!page)
        return page.error();
    auto aliases = engine.listAliases(*function, req.get_param_value("FunctionVersion"));
    if (!aliases)
        return aliases.error();
    std::vector<std::pair<std::string, json>> items;
    for (const AliasInfo &alias : *aliases)
        items.emplace_back(alias.config.name, aliasJson(alias));
    return jsonReply(200, pageJson("Aliases", std::move(items), *page));
}

Result<Reply> updateAlias(Engine &engine, const httplib::Request &req)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Rejected);
    if (!request)
        return request.error();
    BodyReader reader(request->body);
    AliasPatch patch;
    patch.functionVersion = reader.string("FunctionVersion");
    patch.description = reader.string("Description");
    patch.revisionId = reader.string("RevisionId").value_or("");
    if (auto failure = reader.failure())
        return *failure;
    auto weights = readWeights(request->body);
    if (!weights)
        return weights.error();
    patch.additionalVersionWeights = std::move(*weights);
    return jsonResult(engine.updateAlias(request->ref.name, req.matches[2].str(), patch), 200,
                      aliasJson);
}

Result<Reply> deleteAlias(Engine &engine, const httplib::Request &req)
{
    const auto function = readFunctionName(req);
    if (!function)
        return function.error();
    return emptyResult(engine.deleteAlias(*function, req.matches[2].str()), 204);
}

} // namespace

void registerAliasRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kAliases, bindEngineWithBody(context, createAlias));
    server.Get(kAliases, bindEngine(context, listAliases));
    server.Get(kAlias, bindEngine(context, getAlias));
    server.Put(kAlias, bindEngineWithBody(context, updateAlias));
    server.Delete(kAlias, bindEngine(context, deleteAlias));
}

} // namespace lambdesk::engine::api
