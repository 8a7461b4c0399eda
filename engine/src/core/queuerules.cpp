// SQS's rules for queue names, queue attributes, batch entry ids and the MD5 of message
// attributes (queue.h). The wording of each error is SQS's.
#include "lambdesk/engine/queue.h"

#include "common/encoding.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <set>

namespace lambdesk::engine {

namespace {

bool isIdCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

bool isIdText(const std::string &text, std::size_t maxLength)
{
    if (text.empty() || text.size() > maxLength)
        return false;
    for (const char c : text)
        if (!isIdCharacter(c))
            return false;
    return true;
}

std::optional<long long> wholeNumber(const std::string &text)
{
    long long value = 0;
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

struct IntegerRange {
    const char *name;
    long long min;
    long long max;
};

constexpr IntegerRange kIntegerAttributes[] = {
    {"DelaySeconds", 0, kMaxQueueDelaySeconds},
    {"MaximumMessageSize", static_cast<long long>(kMinMessageBytesLimit),
     static_cast<long long>(kMaxMessageBytes)},
    {"MessageRetentionPeriod", kMinRetentionSeconds, kMaxRetentionSeconds},
    {"ReceiveMessageWaitTimeSeconds", 0, kMaxReceiveWaitSeconds},
    {"VisibilityTimeout", 0, kMaxVisibilityTimeoutSeconds},
    {"KmsDataKeyReusePeriodSeconds", 60, 86400},
};

// Kept as given: they change nothing here, but a template that sets them must work unchanged.
const std::set<std::string> kOpaqueAttributes = {"Policy", "KmsMasterKeyId", "RedriveAllowPolicy"};

Error invalidValue(const std::string &name)
{
    return makeError(ErrorCode::InvalidAttributeValue,
                     "Invalid value for the parameter " + name + ".");
}

Error invalidRedrive(const std::string &value, const std::string &reason)
{
    return makeError(ErrorCode::InvalidParameter, "Value " + value +
                                                      " for parameter RedrivePolicy is invalid. "
                                                      "Reason: " +
                                                      reason);
}

Result<void> validateRedrivePolicy(const std::string &value)
{
    if (value.empty())
        return {}; // removes the policy
    const auto policy = nlohmann::json::parse(value, nullptr, false);
    if (policy.is_discarded() || !policy.is_object())
        return invalidRedrive(value, "Redrive policy is not a valid JSON map.");
    const auto target = policy.find("deadLetterTargetArn");
    if (target == policy.end() || !target->is_string() ||
        !queueNameFromUrlOrArn(target->get<std::string>()) ||
        !target->get<std::string>().starts_with(kQueueArnPrefix))
        return invalidRedrive(value, "Invalid value for deadLetterTargetArn.");
    const auto count = policy.find("maxReceiveCount");
    std::optional<long long> receives;
    if (count != policy.end() && count->is_number_integer())
        receives = count->get<long long>();
    else if (count != policy.end() && count->is_string())
        receives = wholeNumber(count->get<std::string>());
    if (!receives || *receives < 1 || *receives > kMaxRedriveReceiveCount)
        return invalidRedrive(value,
                              "Invalid value for maxReceiveCount: " +
                                  (count == policy.end() ? std::string("null") : count->dump()) +
                                  ", valid values are from 1 to 1000 both inclusive.");
    return {};
}

// The next code point of UTF-8 `text` at `at` (advanced past it); nullopt when malformed.
std::optional<char32_t> nextCodePoint(std::string_view text, std::size_t &at)
{
    const auto lead = static_cast<unsigned char>(text[at]);
    const int length = lead < 0x80           ? 1
                       : (lead >> 5) == 0x6  ? 2
                       : (lead >> 4) == 0xe  ? 3
                       : (lead >> 3) == 0x1e ? 4
                                             : 0;
    if (length == 0 || at + static_cast<std::size_t>(length) > text.size())
        return std::nullopt;
    char32_t code = length == 1 ? lead : lead & (0x7f >> length);
    for (int i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + static_cast<std::size_t>(i)]);
        if ((next >> 6) != 0x2)
            return std::nullopt;
        code = (code << 6) | (next & 0x3f);
    }
    at += static_cast<std::size_t>(length);
    return code;
}

// XML 1.0's characters, which is what SQS allows in a body and in attribute strings.
bool isAllowedCodePoint(char32_t c)
{
    return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
           (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

std::optional<std::string> disallowedCharacter(std::string_view text)
{
    for (std::size_t at = 0; at < text.size();) {
        const auto code = nextCodePoint(text, at);
        if (!code)
            return std::string("(not UTF-8)");
        if (!isAllowedCodePoint(*code)) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "#x%X", static_cast<unsigned>(*code));
            return std::string(hex);
        }
    }
    return std::nullopt;
}

Result<void> validateAttribute(const std::string &name, const MessageAttributeValue &value)
{
    const bool badName = name.empty() || name.size() > kMaxMessageAttributeNameLength ||
                         name.starts_with('.') || name.ends_with('.') ||
                         name.find("..") != std::string::npos;
    bool badCharacter = false;
    for (const char c : name)
        badCharacter = badCharacter || !(isIdCharacter(c) || c == '.');
    std::string lower;
    for (const char c : name)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (badName || badCharacter || lower.starts_with("aws.") || lower.starts_with("amazon."))
        return makeError(ErrorCode::InvalidParameter,
                         "Message (user) attribute '" + name + "' has an invalid name.");
    const std::string &type = value.dataType;
    const bool knownType =
        type.starts_with("String") || type.starts_with("Number") || type.starts_with("Binary");
    if (!knownType)
        return makeError(ErrorCode::InvalidParameter,
                         "The type of message (user) attribute '" + name +
                             "' is invalid. You must use only the following supported type "
                             "prefixes: Binary, Number, String.");
    const bool empty = value.isBinary() ? value.binaryValue.empty() : value.stringValue.empty();
    if (empty)
        return makeError(ErrorCode::InvalidParameter,
                         "The message attribute '" + name +
                             "' must contain non-empty message attribute value for message "
                             "attribute type '" +
                             type + "'.");
    if (!value.isBinary()) {
        if (auto bad = disallowedCharacter(value.stringValue))
            return makeError(ErrorCode::InvalidParameter,
                             "Message (user) attribute '" + name +
                                 "' value contains invalid character " + *bad + ".");
    }
    return {};
}

} // namespace

Result<void> validateQueueMessage(const QueueMessageInput &message, std::size_t maxBytes)
{
    if (message.body.empty())
        return makeError(ErrorCode::MissingParameter,
                         "The request must contain the parameter MessageBody.");
    if (auto bad = disallowedCharacter(message.body))
        return makeError(ErrorCode::InvalidMessageContents,
                         "Invalid binary character '" + *bad +
                             "' was found in the message body, the set of allowed characters "
                             "is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 "
                             "to #x10FFFF");
    if (message.delaySeconds &&
        (*message.delaySeconds < 0 || *message.delaySeconds > kMaxQueueDelaySeconds))
        return makeError(ErrorCode::InvalidParameter,
                         "Value " + std::to_string(*message.delaySeconds) +
                             " for parameter DelaySeconds is invalid. Reason: DelaySeconds must "
                             "be >= 0 and <= 900.");
    if (message.attributes.size() > kMaxMessageAttributes)
        return makeError(ErrorCode::InvalidParameter,
                         "Number of message attributes [" +
                             std::to_string(message.attributes.size()) +
                             "] exceeds the allowed maximum [10].");
    std::size_t size = message.body.size();
    for (const auto &[name, value] : message.attributes) {
        if (auto valid = validateAttribute(name, value); !valid)
            return valid;
        size += name.size() + value.dataType.size() + value.stringValue.size() +
                value.binaryValue.size();
    }
    for (const auto &[name, value] : message.systemAttributes)
        if (name != "AWSTraceHeader" || value.dataType != "String")
            return makeError(ErrorCode::InvalidParameter,
                             "Message system attribute name '" + name + "' is invalid.");
    if (size > maxBytes)
        return makeError(ErrorCode::InvalidParameter,
                         "One or more parameters are invalid. Reason: Message must be shorter "
                         "than " +
                             std::to_string(maxBytes) + " bytes.");
    return {};
}

Result<void> validateQueueName(const std::string &name)
{
    if (name.ends_with(".fifo"))
        return makeError(ErrorCode::InvalidParameter,
                         "FIFO queues (" + name +
                             ") are not supported by this engine; use a standard queue.");
    if (!isIdText(name, kMaxQueueNameLength))
        return makeError(ErrorCode::InvalidParameter,
                         "Can only include alphanumeric characters, hyphens, or underscores. 1 to "
                         "80 in length");
    return {};
}

Result<void> validateQueueAttributes(const QueueAttributes &attributes)
{
    for (const auto &[name, value] : attributes) {
        bool known = false;
        for (const IntegerRange &range : kIntegerAttributes) {
            if (name != range.name)
                continue;
            known = true;
            const auto number = wholeNumber(value);
            if (!number || *number < range.min || *number > range.max)
                return invalidValue(name);
        }
        if (known || kOpaqueAttributes.contains(name))
            continue;
        if (name == "RedrivePolicy") {
            if (auto valid = validateRedrivePolicy(value); !valid)
                return valid;
        } else if (name == "SqsManagedSseEnabled") {
            if (value != "true" && value != "false")
                return invalidValue(name);
        } else if (name == "FifoQueue") {
            if (value == "true")
                return makeError(ErrorCode::InvalidAttributeValue,
                                 "FIFO queues are not supported by this engine; use a standard "
                                 "queue.");
            if (value != "false")
                return invalidValue(name);
        } else {
            return makeError(ErrorCode::InvalidAttributeName, "Unknown Attribute " + name + ".");
        }
    }
    return {};
}

Result<void> validateBatchEntryIds(const std::vector<std::string> &ids)
{
    if (ids.empty())
        return makeError(ErrorCode::EmptyBatchRequest,
                         "There should be at least one entry in the request.");
    if (ids.size() > kMaxQueueBatchEntries)
        return makeError(ErrorCode::TooManyEntriesInBatchRequest,
                         "Maximum number of entries per request are " +
                             std::to_string(kMaxQueueBatchEntries) + ". You have sent " +
                             std::to_string(ids.size()) + ".");
    std::set<std::string> seen;
    for (const std::string &id : ids) {
        if (!isIdText(id, kMaxBatchEntryIdLength))
            return makeError(ErrorCode::InvalidBatchEntryId,
                             "A batch entry id can only contain alphanumeric characters, hyphens "
                             "and underscores. It can be at most 80 letters long.");
        if (!seen.insert(id).second)
            return makeError(ErrorCode::BatchEntryIdsNotDistinct, "Id " + id + " repeated.");
    }
    return {};
}

std::optional<std::string> queueNameFromUrlOrArn(const std::string &urlOrArn)
{
    std::string text = urlOrArn;
    while (text.ends_with('/'))
        text.pop_back();
    const std::size_t cut = text.starts_with(kQueueArnPrefix) ? text.rfind(':') : text.rfind('/');
    if (cut == std::string::npos)
        return std::nullopt;
    std::string name = text.substr(cut + 1);
    if (!isIdText(name, kMaxQueueNameLength))
        return std::nullopt;
    return name;
}

std::string messageAttributesMd5(const MessageAttributes &attributes)
{
    if (attributes.empty())
        return {};
    std::string encoded;
    const auto append = [&encoded](std::string_view bytes) {
        const auto size = static_cast<std::uint32_t>(bytes.size());
        for (int shift = 24; shift >= 0; shift -= 8)
            encoded.push_back(static_cast<char>((size >> shift) & 0xff));
        encoded.append(bytes);
    };
    for (const auto &[name, value] : attributes) { // std::map: sorted by name, as SQS sorts
        append(name);
        append(value.dataType);
        encoded.push_back(static_cast<char>(value.isBinary() ? 2 : 1));
        append(value.isBinary() ? value.binaryValue : value.stringValue);
    }
    return common::md5Hex(encoded);
}

} // namespace lambdesk::engine
