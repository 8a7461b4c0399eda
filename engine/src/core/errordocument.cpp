#include "core/errordocument.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine {

std::string errorDocument(const std::string &errorType, const std::string &errorMessage)
{
    return nlohmann::json{{"errorMessage", errorMessage}, {"errorType", errorType}}.dump();
}

std::string errorTypeOf(const std::string &document, const std::string &fallback)
{
    const auto parsed = nlohmann::json::parse(document, nullptr, false);
    if (!parsed.is_object())
        return fallback;
    const auto member = parsed.find("errorType");
    return member != parsed.end() && member->is_string() ? member->get<std::string>() : fallback;
}

std::string errorMessageOf(const std::string &document)
{
    const auto parsed = nlohmann::json::parse(document, nullptr, false);
    if (!parsed.is_object())
        return document;
    const auto member = parsed.find("errorMessage");
    return member != parsed.end() && member->is_string() ? member->get<std::string>()
                                                         : std::string();
}

} // namespace lambdesk::engine
