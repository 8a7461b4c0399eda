#include "core/queueattributes.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine::detail {

const QueueAttributes kDefaultQueueAttributes = {
    {"DelaySeconds", "0"},
    {"MaximumMessageSize", std::to_string(kMaxMessageBytes)},
    {"MessageRetentionPeriod", "345600"},
    {"ReceiveMessageWaitTimeSeconds", "0"},
    {"VisibilityTimeout", "30"},
    {"SqsManagedSseEnabled", "true"},
};

Error queueNotFound()
{
    return makeError(ErrorCode::QueueDoesNotExist, "The specified queue does not exist.");
}

int intAttribute(const QueueAttributes &attributes, const char *name)
{
    const auto found = attributes.find(name);
    const std::string &text =
        found != attributes.end() ? found->second : kDefaultQueueAttributes.at(name);
    return std::stoi(text);
}

std::string normalisedRedrive(const std::string &value)
{
    if (value.empty())
        return value;
    auto policy = nlohmann::json::parse(value);
    auto &count = policy["maxReceiveCount"];
    if (count.is_string())
        count = std::stoi(count.get<std::string>());
    return policy.dump();
}

std::optional<RedriveTarget> redriveTarget(const QueueAttributes &attributes)
{
    const auto found = attributes.find("RedrivePolicy");
    if (found == attributes.end() || found->second.empty())
        return std::nullopt;
    const auto policy = nlohmann::json::parse(found->second, nullptr, false);
    if (policy.is_discarded())
        return std::nullopt;
    const auto queue = queueNameFromUrlOrArn(policy.value("deadLetterTargetArn", ""));
    if (!queue)
        return std::nullopt;
    return RedriveTarget{*queue, policy.value("maxReceiveCount", 0)};
}

} // namespace lambdesk::engine::detail
