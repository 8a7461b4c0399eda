#pragma once
// Builds a deployment package (.zip, entries stored uncompressed) from code files in memory, so
// the wizard can create a function with its starter code in one Engine::createFunction call.
// Unix modes are kept: a "bootstrap" marked executable stays executable.

#include "lambdesk/engine/types.h"

#include <string>
#include <vector>

namespace lambdesk::app {

std::string makeZip(const std::vector<engine::CodeFile> &files);

} // namespace lambdesk::app
