// TagResource, UntagResource, ListTags (/2017-03-31/tags/{ARN}).

#include "api/bodyreader.h"
#include "api/httpexchange.h"
#include "api/routes.h"

#include <regex>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

constexpr const char *kTags = R"(/2017-03-31/tags/([^/]+)/?)";

// Model shape TaggableResource restricted to what we tag: functions (ECMAScript spelling,
// see functionref.cpp). The message quotes the model's text.
constexpr const char *kResourcePatternText =
    "arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:"
    "[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|code-signing-config:csc-[a-z0-9]{17}|"
    "event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    "[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)";

Result<std::string> readResource(const httplib::Request &req)
{
    static const std::regex pattern(
        "arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:"
        "function:[a-zA-Z0-9_-]+(:(\\$LATEST|[a-zA-Z0-9_-]+))?");
    std::string arn = req.matches[1].str();
    if (arn.size() > 256 || !std::regex_match(arn, pattern))
        return validationError(arn, "resource",
                               std::string("Member must satisfy regular expression pattern: ") +
                                   kResourcePatternText);
    return arn;
}

Result<Reply> listTags(Engine &engine, const httplib::Request &req)
{
    const auto arn = readResource(req);
    if (!arn)
        return arn.error();
    return jsonResult(engine.listTags(*arn), 200, [](const auto &tags) {
        return json{{"Tags", tags}};
    });
}

Result<Reply> tagResource(Engine &engine, const httplib::Request &req)
{
    const auto arn = readResource(req);
    if (!arn)
        return arn.error();
    const auto body = readJsonBody(req);
    if (!body)
        return body.error();
    BodyReader reader(*body);
    const auto tags = reader.stringMap("Tags");
    if (auto failure = reader.failure())
        return *failure;
    if (!tags)
        return validationError("null", "tags", "Member must not be null");
    return emptyResult(engine.tagResource(*arn, *tags), 204);
}

Result<Reply> untagResource(Engine &engine, const httplib::Request &req)
{
    const auto arn = readResource(req);
    if (!arn)
        return arn.error();
    const std::size_t count = req.get_param_value_count("tagKeys");
    if (count == 0)
        return validationError("null", "tagKeys", "Member must not be null");
    std::vector<std::string> keys;
    keys.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        keys.push_back(req.get_param_value("tagKeys", i));
    return emptyResult(engine.untagResource(*arn, keys), 204);
}

} // namespace

void registerTagRoutes(httplib::Server &server, const RouteContext &context)
{
    server.Get(kTags, bindEngine(context, listTags));
    server.Post(kTags, bindEngineWithBody(context, tagResource));
    server.Delete(kTags, bindEngine(context, untagResource));
}

} // namespace lambdesk::engine::api
