// CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings,
// UpdateEventSourceMapping, DeleteEventSourceMapping (/2015-03-31/event-source-mappings/[UUID]).

#include "api/bodyreader.h"
#include "api/httpexchange.h"
#include "api/pagination.h"
#include "api/routes.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kMappings = R"(/2015-03-31/event-source-mappings/?)";
constexpr const char *kMapping = R"(/2015-03-31/event-source-mappings/([^/]+)/?)";

// Shape EventSourceMappingConfiguration (an SQS source's members).
json mappingJson(const EventSourceMapping &mapping)
{
    json filters = json::array();
    for (const std::string &pattern : mapping.filterPatterns)
        filters.push_back({{"Pattern", pattern}});
    json out{{"UUID", mapping.uuid},
             {"EventSourceMappingArn", mapping.arn},
             {"BatchSize", mapping.batchSize},
             {"MaximumBatchingWindowInSeconds", mapping.maximumBatchingWindowSeconds},
             {"EventSourceArn", mapping.eventSourceArn},
             {"FunctionArn", mapping.functionArn},
             {"LastModified", static_cast<double>(mapping.lastModifiedMs) / 1000.0},
             {"State", mapping.state},
             {"StateTransitionReason", "USER_INITIATED"},
             {"FunctionResponseTypes", mapping.functionResponseTypes}};
    if (!mapping.filterPatterns.empty())
        out["FilterCriteria"] = {{"Filters", std::move(filters)}};
    if (mapping.maximumConcurrency)
        out["ScalingConfig"] = {{"MaximumConcurrency", *mapping.maximumConcurrency}};
    return out;
}

// The members Create and Update share; a member of the wrong shape is named.
Result<EventSourceMappingInput> readInput(const json &body)
{
    BodyReader reader(body);
    EventSourceMappingInput input;
    input.functionName = reader.string("FunctionName").value_or("");
    input.eventSourceArn = reader.string("EventSourceArn").value_or("");
    input.enabled = reader.boolean("Enabled");
    input.batchSize = reader.integer("BatchSize");
    input.maximumBatchingWindowSeconds = reader.integer("MaximumBatchingWindowInSeconds");
    input.functionResponseTypes = reader.stringList("FunctionResponseTypes");
    if (reader.object("FilterCriteria")) {
        const json &criteria = body["FilterCriteria"];
        const auto filters = criteria.find("Filters");
        std::vector<std::string> patterns;
        if (filters != criteria.end() && filters->is_array()) {
            for (const json &entry : *filters) {
                if (!entry.is_object() || !entry.contains("Pattern") ||
                    !entry["Pattern"].is_string())
                    return makeError(ErrorCode::InvalidRequestContent,
                                     "FilterCriteria.Filters entries are {\"Pattern\": string}");
                patterns.push_back(entry["Pattern"].get<std::string>());
            }
        }
        input.filterPatterns = std::move(patterns);
    }
    if (auto scaling = reader.object("ScalingConfig"))
        input.maximumConcurrency = scaling->integer("MaximumConcurrency").value_or(0);
    if (auto failure = reader.failure())
        return *failure;
    return input;
}

Result<Reply> createMapping(Engine &engine, const httplib::Request &req)
{
    const auto body = readJsonBody(req);
    if (!body)
        return body.error();
    const auto input = readInput(*body);
    if (!input)
        return input.error();
    return jsonResult(engine.createEventSourceMapping(*input), 202, mappingJson);
}

Result<Reply> getMapping(Engine &engine, const httplib::Request &req)
{
    return jsonResult(engine.getEventSourceMapping(req.matches[1].str()), 200, mappingJson);
}

Result<Reply> listMappings(Engine &engine, const httplib::Request &req)
{
    const auto page = readPageRequest(req, 100);
    if (!page)
        return page.error();
    const auto mappings = engine.listEventSourceMappings(req.get_param_value("FunctionName"),
                                                         req.get_param_value("EventSourceArn"));
    if (!mappings)
        return mappings.error();
    std::vector<std::pair<std::string, json>> items;
    for (const EventSourceMapping &mapping : *mappings)
        items.emplace_back(mapping.uuid, mappingJson(mapping));
    return jsonReply(200, pageJson("EventSourceMappings", std::move(items), *page));
}

Result<Reply> updateMapping(Engine &engine, const httplib::Request &req)
{
    const auto body = readJsonBody(req);
    if (!body)
        return body.error();
    const auto input = readInput(*body);
    if (!input)
        return input.error();
    return jsonResult(engine.updateEventSourceMapping(req.matches[1].str(), *input), 202,
                      mappingJson);
}

Result<Reply> deleteMapping(Engine &engine, const httplib::Request &req)
{
    return jsonResult(engine.deleteEventSourceMapping(req.matches[1].str()), 202, mappingJson);
}

} // namespace

void registerEventSourceMappingRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Post(kMappings, bindEngineWithBody(context, createMapping));
    server.Get(kMappings, bindEngine(context, listMappings));
    server.Get(kMapping, bindEngine(context, getMapping));
    server.Put(kMapping, bindEngineWithBody(context, updateMapping));
    server.Delete(kMapping, bindEngine(context, deleteMapping));
}

} // namespace lambdesk::engine::api
