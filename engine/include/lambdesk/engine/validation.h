#pragma once
// Lambda's parameter rules, shared by the store and the GUI's live validation. Messages are shown
// to users as they are, so they name the field and the rule.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <string>

namespace lambdesk::engine {

Result<void> validateFunctionName(const std::string &name);      // 1-64 of [A-Za-z0-9_-]
Result<void> validateConfig(const FunctionConfig &config);       // ranges, handler, env names
Result<void> validateEnvironmentVariableName(const std::string &key); // [a-zA-Z][a-zA-Z0-9_]+, not reserved

} // namespace lambdesk::engine
