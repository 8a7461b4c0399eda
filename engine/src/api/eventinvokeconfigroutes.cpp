// PutFunctionEventInvokeConfig (PUT), UpdateFunctionEventInvokeConfig (POST),
// GetFunctionEventInvokeConfig, DeleteFunctionEventInvokeConfig
// (/2019-09-25/functions/{FunctionName}/event-invoke-config) and ListFunctionEventInvokeConfigs
// (.../event-invoke-config/list).

#include "api/bodyreader.h"
#include "api/functionref.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kConfig = R"(/2019-09-25/functions/([^/]+)/event-invoke-config/?)";
constexpr const char *kConfigList = R"(/2019-09-25/functions/([^/]+)/event-invoke-config/list/?)";

json destinationJson(const std::string &arn)
{
    return arn.empty() ? json::object() : json{{"Destination", arn}};
}

// Shape FunctionEventInvokeConfig. LastModified is a timestamp: epoch seconds in this protocol.
json configJson(const EventInvokeConfig &config)
{
    json out{{"LastModified", static_cast<double>(config.lastModifiedMs) / 1000.0},
             {"FunctionArn", config.functionArn},
             {"DestinationConfig",
              {{"OnSuccess", destinationJson(config.onSuccess)},
               {"OnFailure", destinationJson(config.onFailure)}}}};
    if (config.maximumRetryAttempts)
        out["MaximumRetryAttempts"] = *config.maximumRetryAttempts;
    if (config.maximumEventAgeInSeconds)
        out["MaximumEventAgeInSeconds"] = *config.maximumEventAgeInSeconds;
    return out;
}

// DestinationConfig.OnSuccess/OnFailure.Destination; an object without Destination removes it.
std::optional<std::string> readDestination(BodyReader &destinations, const char *member)
{
    auto reader = destinations.object(member);
    if (!reader)
        return std::nullopt;
    return reader->string("Destination").value_or("");
}

Result<EventInvokeConfigInput> readInput(const json &body)
{
    BodyReader reader(body);
    EventInvokeConfigInput input;
    input.maximumRetryAttempts = reader.integer("MaximumRetryAttempts");
    input.maximumEventAgeInSeconds = reader.integer("MaximumEventAgeInSeconds");
    if (auto destinations = reader.object("DestinationConfig")) {
        input.onSuccess = readDestination(*destinations, "OnSuccess");
        input.onFailure = readDestination(*destinations, "OnFailure");
        if (auto failure = destinations->failure())
            return *failure;
    }
    if (auto failure = reader.failure())
        return *failure;
    return input;
}

template <class Operation>
Result<Reply> writeConfig(const httplib::Request &req, Operation operation)
{
    const auto request = readFunctionRequest(req, NameShape::Plain, QualifierUse::Accepted);
    if (!request)
        return request.error();
    auto input = readInput(request->body);
    if (!input)
        return input.error();
    return jsonResult(operation(request->ref.name, request->ref.qualifier, *input), 200,
                      configJson);
}

Result<Reply> putConfig(Engine &engine, const httplib::Request &req)
{
    return writeConfig(req, [&](const std::string &name, const std::string &qualifier,
                                const EventInvokeConfigInput &input) {
        return engine.putFunctionEventInvokeConfig(name, qualifier, input);
    });
}

Result<Reply> updateConfig(Engine &engine, const httplib::Request &req)
{
    return writeConfig(req, [&](const std::string &name, const std::string &qualifier,
                                const EventInvokeConfigInput &input) {
        return engine.updateFunctionEventInvokeConfig(name, qualifier, input);
    });
}

Result<Reply> getConfig(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return jsonResult(engine.getFunctionEventInvokeConfig(ref->name, ref->qualifier), 200,
                      configJson);
}

Result<Reply> deleteConfig(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Accepted);
    if (!ref)
        return ref.error();
    return emptyResult(engine.deleteFunctionEventInvokeConfig(ref->name, ref->qualifier), 204);
}

Result<Reply> listConfigs(Engine &engine, const httplib::Request &req)
{
    const auto ref = readFunctionRef(req, NameShape::Plain, QualifierUse::Rejected);
    if (!ref)
        return ref.error();
    const auto maxItems = static_cast<std::size_t>(kMaxEventInvokeConfigListItems);
    auto page = readPageRequest(req, maxItems);
    if (!page)
        return page.error();
    if (page->maxItems > maxItems) // this operation's model caps MaxItems lower than most
        return constraintError(std::to_string(page->maxItems), "maxItems",
                               "Member must have value less than or equal to 50");
    auto configs = engine.listFunctionEventInvokeConfigs(ref->name);
    if (!configs)
        return configs.error();
    std::vector<std::pair<std::string, json>> items;
    for (const EventInvokeConfig &config : *configs)
        items.emplace_back(config.qualifier, configJson(config));
    std::sort(items.begin(), items.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    return jsonReply(200, pageJson("FunctionEventInvokeConfigs", std::move(items), *page));
}

} // namespace

void registerEventInvokeConfigRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Get(kConfigList, bindEngine(context, listConfigs));
    server.Put(kConfig, bindEngineWithBody(context, putConfig));
    server.Post(kConfig, bindEngineWithBody(context, updateConfig));
    server.Get(kConfig, bindEngine(context, getConfig));
    server.Delete(kConfig, bindEngine(context, deleteConfig));
}

} // namespace lambdesk::engine::api
