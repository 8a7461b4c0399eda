#pragma once
// Lambda's parameter rules, shared by the store and the GUI's live validation. Messages are shown
// to users as they are, so they name the field and the rule.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <cstddef>
#include <string>

namespace lambdesk::engine {

// Lambda's limits (CreateFunction / UpdateFunctionConfiguration), for the checks below and for
// the ranges the GUI's forms offer.
inline constexpr int kMinMemoryMb = 128;
inline constexpr int kMaxMemoryMb = 10240;
inline constexpr int kMinTimeoutSeconds = 1;
inline constexpr int kMaxTimeoutSeconds = 900;
inline constexpr int kMinEphemeralStorageMb = 512;
inline constexpr int kMaxEphemeralStorageMb = 10240;
inline constexpr std::size_t kMaxNameLength = 64;
inline constexpr std::size_t kMaxDescriptionLength = 256;
inline constexpr std::size_t kMaxHandlerLength = 128;
inline constexpr std::size_t kMaxEnvironmentBytes = 4096; // all variables, as JSON
inline constexpr std::size_t kMaxLayers = 5;

Result<void> validateFunctionName(const std::string &name);      // 1-64 of [A-Za-z0-9_-]
Result<void> validateConfig(const FunctionConfig &config);       // ranges, handler, env names
Result<void> validateEnvironmentVariableName(const std::string &key); // [a-zA-Z][a-zA-Z0-9_]+, not reserved

} // namespace lambdesk::engine
