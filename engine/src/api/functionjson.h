#pragma once
// FunctionInfo <-> the model's JSON shapes: FunctionConfiguration out, CreateFunctionRequest and
// UpdateFunctionConfigurationRequest in. Field names are exactly the model's (service-2.json).

#include "lambdesk/engine/types.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace lambdesk::engine::api {

// Shape FunctionConfiguration.
nlohmann::json functionConfigurationJson(const FunctionInfo &info);

// Shape GetFunctionResponse; codeLocation is the URL that serves the deployment package.
nlohmann::json getFunctionJson(const FunctionInfo &info, const std::string &codeLocation);

struct CreateFunctionInput {
    FunctionConfig config;
    std::string zipBytes;
    bool publish = false;
};

// These send the error response themselves and return nullopt on a bad request.
std::optional<CreateFunctionInput> readCreateFunction(const nlohmann::json &body,
                                                      httplib::Response &res);
std::optional<FunctionConfigPatch> readConfigPatch(const nlohmann::json &body,
                                                   httplib::Response &res);
// Code.ZipFile / ZipFile: base64 text -> zip bytes.
std::optional<std::string> decodeZipFile(const std::string &base64Text, httplib::Response &res);

} // namespace lambdesk::engine::api
