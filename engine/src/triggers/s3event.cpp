#include "triggers/s3event.h"

#include "triggers/scheduledevent.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>

namespace lambdesk::engine::triggers {

std::string s3EventKey(const std::string &key)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : key) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '*' || c == '/') {
            out.push_back(c);
        } else if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

std::string s3EventTime(std::int64_t epochMs)
{
    std::string seconds = eventTime(epochMs); // "...:ssZ"
    seconds.pop_back();
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(epochMs % 1000));
    seconds.append(millis);
    return seconds;
}

std::string s3Sequencer(std::uint64_t counter)
{
    char text[20];
    std::snprintf(text, sizeof text, "%016llX", static_cast<unsigned long long>(counter));
    return text;
}

std::string s3Event(const S3ObjectChange &change)
{
    using nlohmann::ordered_json;
    std::string principal = "AWS:";
    principal.append(change.accountId);
    std::string bucketArn = "arn:aws:s3:::";
    bucketArn.append(change.bucket);
    std::string hostId = "lambdesk/";
    hostId.append(change.sequencer);
    ordered_json object;
    object["key"] = s3EventKey(change.key);
    if (!change.removed) {
        object["size"] = change.size;
        object["eTag"] = change.eTag;
    }
    object["sequencer"] = change.sequencer;
    ordered_json record;
    record["eventVersion"] = "2.1";
    record["eventSource"] = "aws:s3";
    record["awsRegion"] = change.region;
    record["eventTime"] = s3EventTime(change.eventTimeMs);
    record["eventName"] = change.removed ? "ObjectRemoved:Delete" : "ObjectCreated:Put";
    record["userIdentity"] = {{"principalId", principal}};
    record["requestParameters"] = {{"sourceIPAddress", "127.0.0.1"}};
    record["responseElements"] = {{"x-amz-request-id", change.sequencer}, {"x-amz-id-2", hostId}};
    record["s3"] = {{"s3SchemaVersion", "1.0"},
                    {"configurationId", change.configurationId},
                    {"bucket",
                     {{"name", change.bucket},
                      {"ownerIdentity", {{"principalId", change.accountId}}},
                      {"arn", bucketArn}}},
                    {"object", std::move(object)}};
    return ordered_json{{"Records", ordered_json::array({std::move(record)})}}.dump();
}

} // namespace lambdesk::engine::triggers
