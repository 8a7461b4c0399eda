#include "api/sqsrequest.h"

namespace lambdesk::engine::api {

Error missing(const char *parameter)
{
    return makeError(ErrorCode::MissingParameter,
                     std::string("The request must contain the parameter ") + parameter + ".");
}

Result<std::string> requiredString(BodyReader &reader, const char *key)
{
    auto value = reader.string(key);
    if (auto failure = reader.failure())
        return *failure;
    if (!value)
        return missing(key);
    return std::move(*value);
}

Result<std::string> queueOf(BodyReader &reader)
{
    const auto url = requiredString(reader, "QueueUrl");
    if (!url)
        return url.error();
    const auto name = queueNameFromUrlOrArn(*url);
    if (!name)
        return makeError(ErrorCode::QueueDoesNotExist, "The specified queue does not exist.");
    return *name;
}

std::string queueUrl(Engine &engine, const std::string &endpoint, const std::string &name)
{
    return endpoint + "/" + engine.options().accountId + "/" + name;
}

} // namespace lambdesk::engine::api
