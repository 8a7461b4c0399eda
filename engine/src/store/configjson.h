#pragma once
// FunctionConfig as the JSON stored in SQLite (functions.config, versions.config).

#include "lambdesk/engine/types.h"

#include <string>

namespace lambdesk::engine::detail {

std::string configToJson(const FunctionConfig &config);
// Throws StoreFailure when the stored text is not a config (a damaged database).
FunctionConfig configFromJson(const std::string &text);

} // namespace lambdesk::engine::detail
