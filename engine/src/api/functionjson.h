#pragma once
// FunctionInfo <-> the model's JSON shapes: FunctionConfiguration out, CreateFunctionRequest and
// UpdateFunctionConfigurationRequest in. Field names are exactly the model's (service-2.json).

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <nlohmann/json.hpp>

#include <string>

namespace lambdesk::engine::api {

// Shape FunctionConfiguration.
nlohmann::json functionConfigurationJson(const FunctionInfo &info);

// A FunctionConfiguration in a listing of several versions, where Lambda names $LATEST with a
// qualified ARN.
nlohmann::json listedVersionJson(const FunctionInfo &info);

// Shape GetFunctionResponse; codeLocation is the URL that serves the deployment package.
nlohmann::json getFunctionJson(const FunctionInfo &info, const std::string &codeLocation);

struct CreateFunctionInput {
    FunctionConfig config;
    std::string zipBytes;
    bool publish = false;
};

Result<CreateFunctionInput> readCreateFunction(const nlohmann::json &body);
Result<FunctionConfigPatch> readConfigPatch(const nlohmann::json &body);
// Code.ZipFile / ZipFile: base64 text -> zip bytes.
Result<std::string> decodeZipFile(const std::string &base64Text);

} // namespace lambdesk::engine::api
