// SQS's queue operations: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue,
// Get/SetQueueAttributes, ListDeadLetterSourceQueues and queue tags, in JSON as AWS JSON 1.0
// spells them (the query protocol is turned into the same JSON first). sqsOperations() is the
// whole service: these and sqsmessageroutes.cpp's.
#include "api/pagination.h"
#include "api/sqsrequest.h"
#include "common/encoding.h"

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

Result<json> createQueue(Engine &engine, const json &request, const std::string &endpoint)
{
    BodyReader body(request);
    const auto name = requiredString(body, "QueueName");
    if (!name)
        return name.error();
    const auto attributes = body.stringMap("Attributes").value_or(QueueAttributes{});
    // JSON 1.0 spells CreateQueue's member "tags"; the query protocol's Tag.N becomes "Tags".
    const auto tags = body.has("tags") ? body.stringMap("tags").value_or(QueueTags{})
                                       : body.stringMap("Tags").value_or(QueueTags{});
    if (auto failure = body.failure())
        return *failure;
    const auto queue = engine.createQueue(*name, attributes, tags);
    if (!queue)
        return queue.error();
    return json{{"QueueUrl", queueUrl(engine, endpoint, queue->name)}};
}

Result<json> getQueueUrl(Engine &engine, const json &request, const std::string &endpoint)
{
    BodyReader body(request);
    const auto name = requiredString(body, "QueueName");
    if (!name)
        return name.error();
    const auto queue = engine.getQueue(*name);
    if (!queue)
        return queue.error();
    return json{{"QueueUrl", queueUrl(engine, endpoint, queue->name)}};
}

// ListQueues' and ListDeadLetterSourceQueues' paging: MaxResults 1 to 1000, and a NextToken only
// for a caller that pages (MaxResults), as SQS answers.
struct QueuePage {
    PageRequest page;
    bool paged = false;
};

Result<QueuePage> readQueuePage(BodyReader &body)
{
    const auto maxResults = body.integer("MaxResults");
    const auto token = body.string("NextToken");
    if (auto failure = body.failure())
        return *failure;
    if (maxResults && (*maxResults < 1 || *maxResults > 1000))
        return makeError(ErrorCode::InvalidParameter,
                         "Value " + std::to_string(*maxResults) +
                             " for parameter MaxResults is invalid. Reason: MaxResults must be an "
                             "integer between 1 and 1000.");
    QueuePage page;
    page.paged = maxResults.has_value();
    page.page.maxItems = maxResults ? static_cast<std::size_t>(*maxResults) : 1000;
    if (token) {
        auto after = common::base64Decode(*token);
        if (!after)
            return makeError(ErrorCode::InvalidParameter, "Invalid NextToken value.");
        page.page.afterKey = std::move(*after);
    }
    return page;
}

// The queues' URLs under `member` ("QueueUrls", or "queueUrls" as ListDeadLetterSourceQueues
// spells it), one page of them.
json queueUrlPage(Engine &engine, const std::string &endpoint,
                  const std::vector<std::string> &names, const QueuePage &page, const char *member,
                  bool alwaysList)
{
    std::vector<std::pair<std::string, json>> items;
    items.reserve(names.size());
    for (const std::string &name : names)
        items.emplace_back(name, queueUrl(engine, endpoint, name));
    json out = pageJson(member, std::move(items), page.page);
    json answer = json::object();
    if (alwaysList || !out[member].empty())
        answer[member] = out[member];
    if (page.paged && out.contains("NextMarker"))
        answer["NextToken"] = out["NextMarker"];
    return answer;
}

Result<json> listQueues(Engine &engine, const json &request, const std::string &endpoint)
{
    BodyReader body(request);
    const auto prefix = body.string("QueueNamePrefix").value_or("");
    const auto page = readQueuePage(body);
    if (!page)
        return page.error();
    const auto queues = engine.listQueues(prefix);
    if (!queues)
        return queues.error();
    std::vector<std::string> names;
    names.reserve(queues->size());
    for (const QueueInfo &queue : *queues)
        names.push_back(queue.name);
    return queueUrlPage(engine, endpoint, names, *page, "QueueUrls", false);
}

Result<json> deleteQueue(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    if (auto deleted = engine.deleteQueue(*queue); !deleted)
        return deleted.error();
    return json::object();
}

Result<json> purgeQueue(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    if (auto purged = engine.purgeQueue(*queue); !purged)
        return purged.error();
    return json::object();
}

Result<json> getQueueAttributes(Engine &engine, const json &request,
                                const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto names = body.stringList("AttributeNames").value_or(std::vector<std::string>{});
    if (auto failure = body.failure())
        return *failure;
    const auto attributes = engine.getQueueAttributes(*queue, names);
    if (!attributes)
        return attributes.error();
    json out = json::object();
    if (!attributes->empty())
        out["Attributes"] = *attributes;
    return out;
}

Result<json> setQueueAttributes(Engine &engine, const json &request,
                                const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto attributes = body.stringMap("Attributes");
    if (auto failure = body.failure())
        return *failure;
    if (!attributes)
        return missing("Attributes");
    if (auto set = engine.setQueueAttributes(*queue, *attributes); !set)
        return set.error();
    return json::object();
}

Result<json> listDeadLetterSourceQueues(Engine &engine, const json &request,
                                        const std::string &endpoint)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto page = readQueuePage(body);
    if (!page)
        return page.error();
    const auto sources = engine.listDeadLetterSourceQueues(*queue);
    if (!sources)
        return sources.error();
    return queueUrlPage(engine, endpoint, *sources, *page, "queueUrls", true);
}

Result<json> listQueueTags(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto tags = engine.listQueueTags(*queue);
    if (!tags)
        return tags.error();
    json out = json::object();
    if (!tags->empty())
        out["Tags"] = *tags;
    return out;
}

Result<json> tagQueue(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto tags = body.stringMap("Tags");
    if (auto failure = body.failure())
        return *failure;
    if (!tags)
        return missing("Tags");
    if (auto tagged = engine.tagQueue(*queue, *tags); !tagged)
        return tagged.error();
    return json::object();
}

Result<json> untagQueue(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto keys = body.stringList("TagKeys");
    if (auto failure = body.failure())
        return *failure;
    if (!keys)
        return missing("TagKeys");
    if (auto untagged = engine.tagQueue(*queue, {}, *keys); !untagged)
        return untagged.error();
    return json::object();
}

} // namespace

const JsonOperations &sqsOperations()
{
    static const JsonOperations operations = [] {
        JsonOperations all = {
            {"CreateQueue", createQueue},
            {"GetQueueUrl", getQueueUrl},
            {"ListQueues", listQueues},
            {"DeleteQueue", deleteQueue},
            {"PurgeQueue", purgeQueue},
            {"GetQueueAttributes", getQueueAttributes},
            {"SetQueueAttributes", setQueueAttributes},
            {"ListDeadLetterSourceQueues", listDeadLetterSourceQueues},
            {"ListQueueTags", listQueueTags},
            {"TagQueue", tagQueue},
            {"UntagQueue", untagQueue},
        };
        all.insert(sqsMessageOperations().begin(), sqsMessageOperations().end());
        return all;
    }();
    return operations;
}

} // namespace lambdesk::engine::api
