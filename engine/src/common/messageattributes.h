#pragma once
// Message attributes as SQS's JSON spells them ({"name": {"DataType", "StringValue" |
// "BinaryValue" (base64)}}): on the wire, in the queue store, and in the SQS event a function
// gets.

#include "lambdesk/engine/queue.h"
#include "lambdesk/engine/result.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine::common {

nlohmann::json messageAttributesJson(const MessageAttributes &attributes);
// `object[key]`; absent or null is no attributes. InvalidParameter names what is malformed.
Result<MessageAttributes> messageAttributesFromJson(const nlohmann::json &object, const char *key);

} // namespace lambdesk::engine::common
