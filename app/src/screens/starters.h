#pragma once
// Starter code for "Author from scratch", per runtime family (resources/starters/<family>/).

#include "lambdesk/engine/types.h"

#include <QString>
#include <vector>

namespace lambdesk::app {

// Empty when the family has no starter (the wizard then refuses to create).
std::vector<engine::CodeFile> starterFiles(const QString &runtimeId);
// The handler the starter code defines: "lambda_function.lambda_handler", "index.handler", ...
QString starterHandler(const QString &runtimeId);

} // namespace lambdesk::app
