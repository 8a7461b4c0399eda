#include "triggers/sqsevent.h"

#include "common/encoding.h"

namespace lambdesk::engine::triggers {

using nlohmann::json;

namespace {

// Lambda's record spells message attributes in camelCase, with the list members SQS reserves.
json recordAttributes(const MessageAttributes &attributes)
{
    json out = json::object();
    for (const auto &[name, value] : attributes) {
        json entry{{"stringListValues", json::array()},
                   {"binaryListValues", json::array()},
                   {"dataType", value.dataType}};
        if (value.isBinary())
            entry["binaryValue"] = common::base64Encode(value.binaryValue);
        else
            entry["stringValue"] = value.stringValue;
        out[name] = std::move(entry);
    }
    return out;
}

} // namespace

json sqsRecord(const ReceivedMessage &message, const std::string &queueArn,
               const std::string &region)
{
    json attributes = json::object();
    for (const char *name :
         {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
          "ApproximateFirstReceiveTimestamp", "AWSTraceHeader", "DeadLetterQueueSourceArn"})
        if (const auto found = message.systemValues.find(name); found != message.systemValues.end())
            attributes[name] = found->second;
    json record{{"messageId", message.messageId},
                {"receiptHandle", message.receiptHandle},
                {"body", message.body},
                {"attributes", std::move(attributes)},
                {"messageAttributes", recordAttributes(message.attributes)},
                {"md5OfBody", message.md5OfBody},
                {"eventSource", "aws:sqs"},
                {"eventSourceARN", queueArn},
                {"awsRegion", region}};
    if (!message.md5OfMessageAttributes.empty())
        record["md5OfMessageAttributes"] = message.md5OfMessageAttributes;
    return record;
}

std::string sqsEvent(const std::vector<json> &records)
{
    return json{{"Records", records}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

json sqsFilterView(const json &record)
{
    json view = record;
    json body = json::parse(record.value("body", ""), nullptr, false);
    if (!body.is_discarded() && body.is_object())
        view["body"] = std::move(body);
    return view;
}

std::optional<std::set<std::string>> batchItemFailures(const std::string &response,
                                                       const std::set<std::string> &batchIds)
{
    if (response.find_first_not_of(" \t\r\n") == std::string::npos)
        return std::set<std::string>{};
    const json answer = json::parse(response, nullptr, false);
    if (answer.is_discarded())
        return std::nullopt;
    if (answer.is_null() || !answer.is_object())
        return std::set<std::string>{};
    const auto failures = answer.find("batchItemFailures");
    if (failures == answer.end() || failures->is_null())
        return std::set<std::string>{};
    if (!failures->is_array())
        return std::nullopt;
    std::set<std::string> failed;
    for (const json &failure : *failures) {
        if (!failure.is_object())
            return std::nullopt;
        const auto id = failure.find("itemIdentifier");
        if (id == failure.end() || !id->is_string() || id->get_ref<const std::string &>().empty() ||
            !batchIds.contains(id->get<std::string>()))
            return std::nullopt;
        failed.insert(id->get<std::string>());
    }
    return failed;
}

} // namespace lambdesk::engine::triggers
