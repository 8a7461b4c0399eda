#include "store/configjson.h"

#include "store/storeutil.h"

#include <nlohmann/json.hpp>

namespace lambdesk::engine::detail {

std::string configToJson(const FunctionConfig &config)
{
    const nlohmann::json json = {
        {"name", config.name},
        {"description", config.description},
        {"runtime", config.runtime},
        {"handler", config.handler},
        {"role", config.role},
        {"memorySize", config.memorySizeMb},
        {"timeout", config.timeoutSeconds},
        {"ephemeralStorage", config.ephemeralStorageMb},
        {"architecture", config.architecture},
        {"environment", config.environment},
        {"tags", config.tags},
        {"layers", config.layers},
        {"snapStart", config.snapStartApplyOn},
        {"deadLetterTarget", config.deadLetterTargetArn},
    };
    // Values come from users; replace invalid UTF-8 rather than failing the whole update.
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

FunctionConfig configFromJson(const std::string &text)
{
    try {
        const nlohmann::json json = nlohmann::json::parse(text);
        FunctionConfig config;
        config.name = json.value("name", config.name);
        config.description = json.value("description", config.description);
        config.runtime = json.value("runtime", config.runtime);
        config.handler = json.value("handler", config.handler);
        config.role = json.value("role", config.role);
        config.memorySizeMb = json.value("memorySize", config.memorySizeMb);
        config.timeoutSeconds = json.value("timeout", config.timeoutSeconds);
        config.ephemeralStorageMb = json.value("ephemeralStorage", config.ephemeralStorageMb);
        config.architecture = json.value("architecture", config.architecture);
        config.environment = json.value("environment", config.environment);
        config.tags = json.value("tags", config.tags);
        config.layers = json.value("layers", config.layers);
        config.snapStartApplyOn = json.value("snapStart", config.snapStartApplyOn);
        config.deadLetterTargetArn = json.value("deadLetterTarget", config.deadLetterTargetArn);
        return config;
    } catch (const nlohmann::json::exception &error) {
        throw StoreFailure(std::string("stored function configuration is damaged: ") + error.what());
    }
}

} // namespace lambdesk::engine::detail
