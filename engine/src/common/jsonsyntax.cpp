#include "common/jsonsyntax.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine::common {

std::optional<std::string> jsonSyntaxError(const std::string &text)
{
    if (nlohmann::json::accept(text))
        return std::nullopt;
    // Only on the error path: a parse that throws the description we want.
    try {
        const auto parsed = nlohmann::json::parse(text);
        static_cast<void>(parsed);
    } catch (const nlohmann::json::exception &error) {
        return std::string(error.what());
    }
    return std::string("invalid JSON");
}

} // namespace lambdesk::engine::common
