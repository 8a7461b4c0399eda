// SQS's message operations: SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch),
// ChangeMessageVisibility(Batch), in JSON as AWS JSON 1.0 spells them. A batch checks its entry
// ids first, then reports each entry as Successful or Failed.
#include "api/sqserrors.h"
#include "api/sqsrequest.h"
#include "common/messageattributes.h"

#include <algorithm>

namespace lambdesk::engine::api {

namespace {

using nlohmann::json;

Result<QueueMessageInput> messageInput(const json &entry)
{
    BodyReader reader(entry);
    QueueMessageInput input;
    input.body = reader.string("MessageBody").value_or("");
    input.delaySeconds = reader.integer("DelaySeconds");
    if (auto failure = reader.failure())
        return *failure;
    auto attributes = common::messageAttributesFromJson(entry, "MessageAttributes");
    if (!attributes)
        return attributes.error();
    input.attributes = std::move(*attributes);
    auto system = common::messageAttributesFromJson(entry, "MessageSystemAttributes");
    if (!system)
        return system.error();
    input.systemAttributes = std::move(*system);
    return input;
}

json sentJson(const SentMessage &sent)
{
    json out{{"MessageId", sent.messageId}, {"MD5OfMessageBody", sent.md5OfBody}};
    if (!sent.md5OfMessageAttributes.empty())
        out["MD5OfMessageAttributes"] = sent.md5OfMessageAttributes;
    if (!sent.md5OfMessageSystemAttributes.empty())
        out["MD5OfMessageSystemAttributes"] = sent.md5OfMessageSystemAttributes;
    return out;
}

// ReceiveMessage's MessageAttributeNames: "All", ".*", "prefix.*" or exact names.
bool attributeWanted(const std::vector<std::string> &names, const std::string &name)
{
    return std::any_of(names.begin(), names.end(), [&name](const std::string &wanted) {
        if (wanted == "All" || wanted == ".*")
            return true;
        if (wanted.ends_with(".*"))
            return name.starts_with(wanted.substr(0, wanted.size() - 1));
        return wanted == name;
    });
}

json receivedJson(const ReceivedMessage &message, const std::vector<std::string> &systemNames,
                  const std::vector<std::string> &attributeNames)
{
    json out{{"MessageId", message.messageId},
             {"ReceiptHandle", message.receiptHandle},
             {"MD5OfBody", message.md5OfBody},
             {"Body", message.body}};
    const bool all = std::find(systemNames.begin(), systemNames.end(), "All") != systemNames.end();
    json system = json::object();
    for (const auto &[name, value] : message.systemValues)
        if (all || std::find(systemNames.begin(), systemNames.end(), name) != systemNames.end())
            system[name] = value;
    if (!system.empty())
        out["Attributes"] = std::move(system);
    MessageAttributes selected;
    for (const auto &[name, value] : message.attributes)
        if (attributeWanted(attributeNames, name))
            selected.emplace(name, value);
    if (!selected.empty()) {
        out["MD5OfMessageAttributes"] = messageAttributesMd5(selected);
        out["MessageAttributes"] = common::messageAttributesJson(selected);
    }
    return out;
}

// A batch's entries, their ids checked as SQS checks them before running any.
Result<std::vector<json>> batchEntries(const json &body)
{
    const auto found = body.find("Entries");
    if (found == body.end() || found->is_null())
        return missing("Entries");
    if (!found->is_array())
        return makeError(ErrorCode::InvalidParameter, "Entries must be a list.");
    std::vector<std::string> ids;
    for (const json &entry : *found)
        ids.push_back(entry.is_object() ? entry.value("Id", "") : "");
    if (auto valid = validateBatchEntryIds(ids); !valid)
        return valid.error();
    return std::vector<json>(found->begin(), found->end());
}

json failedEntry(const std::string &id, const Error &error)
{
    const SqsErrorShape shape = sqsErrorFor(error.code);
    return {{"Id", id},
            {"SenderFault", shape.senderFault},
            {"Code", shape.queryCode},
            {"Message", error.message}};
}

// A batch is its single operation once per entry, each entry a request of its own with the
// batch's QueueUrl: results join Successful, errors Failed.
Result<json> runBatch(Engine &engine, const json &request, const std::string &endpoint,
                      JsonOperation single)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    if (auto exists = engine.getQueue(*queue); !exists)
        return exists.error();
    const auto entries = batchEntries(request);
    if (!entries)
        return entries.error();
    json successful = json::array();
    json failed = json::array();
    for (const json &entry : *entries) {
        const std::string id = entry.value("Id", "");
        json one = entry;
        one.erase("Id");
        one["QueueUrl"] = request["QueueUrl"];
        auto result = single(engine, one, endpoint);
        if (!result) {
            failed.push_back(failedEntry(id, result.error()));
            continue;
        }
        json done = std::move(*result);
        done["Id"] = id;
        successful.push_back(std::move(done));
    }
    return json{{"Successful", std::move(successful)}, {"Failed", std::move(failed)}};
}

Result<json> sendMessage(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto input = messageInput(request);
    if (!input)
        return input.error();
    const auto sent = engine.sendMessage(*queue, *input);
    if (!sent)
        return sent.error();
    return sentJson(*sent);
}

Result<json> sendMessageBatch(Engine &engine, const json &request, const std::string &endpoint)
{
    std::size_t total = 0;
    if (const auto entries = request.find("Entries");
        entries != request.end() && entries->is_array())
        for (const json &entry : *entries)
            if (const auto body = entry.find("MessageBody");
                body != entry.end() && body->is_string())
                total += body->get_ref<const std::string &>().size();
    if (total > kMaxMessageBytes)
        return makeError(ErrorCode::BatchRequestTooLong, "Batch requests cannot be longer than " +
                                                             std::to_string(kMaxMessageBytes) +
                                                             " bytes. You have sent " +
                                                             std::to_string(total) + " bytes.");
    return runBatch(engine, request, endpoint, sendMessage);
}

Result<json> receiveMessage(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    ReceiveOptions options;
    options.maxMessages = body.integer("MaxNumberOfMessages").value_or(1);
    options.visibilityTimeout = body.integer("VisibilityTimeout");
    options.waitSeconds = body.integer("WaitTimeSeconds");
    auto systemNames = body.stringList("AttributeNames").value_or(std::vector<std::string>{});
    const auto moreNames =
        body.stringList("MessageSystemAttributeNames").value_or(std::vector<std::string>{});
    systemNames.insert(systemNames.end(), moreNames.begin(), moreNames.end());
    const auto attributeNames =
        body.stringList("MessageAttributeNames").value_or(std::vector<std::string>{});
    if (auto failure = body.failure())
        return *failure;
    const auto messages = engine.receiveMessages(*queue, options);
    if (!messages)
        return messages.error();
    json out = json::object();
    if (messages->empty())
        return out;
    json list = json::array();
    for (const ReceivedMessage &message : *messages)
        list.push_back(receivedJson(message, systemNames, attributeNames));
    out["Messages"] = std::move(list);
    return out;
}

Result<json> deleteMessage(Engine &engine, const json &request, const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto handle = requiredString(body, "ReceiptHandle");
    if (!handle)
        return handle.error();
    if (auto deleted = engine.deleteMessage(*queue, *handle); !deleted)
        return deleted.error();
    return json::object();
}

Result<json> deleteMessageBatch(Engine &engine, const json &request, const std::string &endpoint)
{
    return runBatch(engine, request, endpoint, deleteMessage);
}

Result<json> changeMessageVisibility(Engine &engine, const json &request,
                                     const std::string & /*endpoint*/)
{
    BodyReader body(request);
    const auto queue = queueOf(body);
    if (!queue)
        return queue.error();
    const auto handle = requiredString(body, "ReceiptHandle");
    if (!handle)
        return handle.error();
    const auto timeout = body.integer("VisibilityTimeout");
    if (auto failure = body.failure())
        return *failure;
    if (!timeout)
        return missing("VisibilityTimeout");
    if (auto changed = engine.changeMessageVisibility(*queue, *handle, *timeout); !changed)
        return changed.error();
    return json::object();
}

Result<json> changeMessageVisibilityBatch(Engine &engine, const json &request,
                                          const std::string &endpoint)
{
    return runBatch(engine, request, endpoint, changeMessageVisibility);
}

} // namespace

const JsonOperations &sqsMessageOperations()
{
    static const JsonOperations operations = {
        {"SendMessage", sendMessage},
        {"SendMessageBatch", sendMessageBatch},
        {"ReceiveMessage", receiveMessage},
        {"DeleteMessage", deleteMessage},
        {"DeleteMessageBatch", deleteMessageBatch},
        {"ChangeMessageVisibility", changeMessageVisibility},
        {"ChangeMessageVisibilityBatch", changeMessageVisibilityBatch},
    };
    return operations;
}

} // namespace lambdesk::engine::api
