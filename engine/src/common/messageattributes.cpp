#include "common/messageattributes.h"

#include "common/encoding.h"

namespace lambdesk::engine::common {

using nlohmann::json;

json messageAttributesJson(const MessageAttributes &attributes)
{
    json out = json::object();
    for (const auto &[name, value] : attributes) {
        json entry{{"DataType", value.dataType}};
        if (value.isBinary())
            entry["BinaryValue"] = base64Encode(value.binaryValue);
        else
            entry["StringValue"] = value.stringValue;
        out[name] = std::move(entry);
    }
    return out;
}

Result<MessageAttributes> messageAttributesFromJson(const json &object, const char *key)
{
    MessageAttributes attributes;
    const auto found = object.find(key);
    if (found == object.end() || found->is_null())
        return attributes;
    if (!found->is_object())
        return makeError(ErrorCode::InvalidParameter, std::string(key) + " must be a map.");
    for (const auto &item : found->items()) {
        const std::string &name = item.key();
        const json &entry = item.value();
        if (!entry.is_object())
            return makeError(ErrorCode::InvalidParameter,
                             "The message attribute '" + name + "' is not a structure.");
        MessageAttributeValue value;
        value.dataType = entry.value("DataType", "");
        value.stringValue = entry.value("StringValue", "");
        if (value.isBinary()) {
            const auto bytes = base64Decode(entry.value("BinaryValue", ""));
            if (!bytes)
                return makeError(ErrorCode::InvalidParameter,
                                 "The message attribute '" + name +
                                     "' has an invalid BinaryValue (base64 expected).");
            value.binaryValue = *bytes;
        }
        if (value.dataType.empty())
            return makeError(ErrorCode::InvalidParameter,
                             "The message attribute '" + name + "' must contain a DataType.");
        attributes.emplace(name, std::move(value));
    }
    return attributes;
}

} // namespace lambdesk::engine::common
