#include "triggers/invocationrecord.h"

#include "triggers/s3event.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine::triggers {

namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMaxDeadLetterErrorMessage = 1024;

ordered_json embedded(const std::string &payload)
{
    auto parsed = ordered_json::parse(payload, nullptr, false);
    if (parsed.is_discarded())
        return payload;
    return parsed;
}

} // namespace

std::string invocationRecord(const InvocationRecordInput &input)
{
    ordered_json record;
    record["version"] = "1.0";
    record["timestamp"] = s3EventTime(input.timestampMs); // the same ISO 8601 with milliseconds
    record["requestContext"] = {{"requestId", input.requestId},
                                {"functionArn", input.functionArn},
                                {"condition", input.condition},
                                {"approximateInvokeCount", input.approximateInvokeCount}};
    record["requestPayload"] = embedded(input.requestPayload);
    if (input.response) {
        ordered_json context = {{"statusCode", 200},
                                {"executedVersion", input.response->executedVersion}};
        if (!input.response->functionError.empty())
            context["functionError"] = input.response->functionError;
        record["responseContext"] = std::move(context);
        record["responsePayload"] = embedded(input.response->payload);
    }
    return record.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string deadLetterErrorMessage(const std::string &errorDocument)
{
    std::string message = errorDocument;
    auto parsed = nlohmann::json::parse(errorDocument, nullptr, false);
    if (parsed.is_object() && parsed.contains("errorMessage") && parsed["errorMessage"].is_string())
        message = parsed["errorMessage"].get<std::string>();
    if (message.size() > kMaxDeadLetterErrorMessage) {
        std::size_t cut = kMaxDeadLetterErrorMessage;
        while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80)
            --cut; // never half a UTF-8 character
        message.resize(cut);
    }
    return message;
}

} // namespace lambdesk::engine::triggers
