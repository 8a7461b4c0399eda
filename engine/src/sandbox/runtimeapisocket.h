#pragma once
// An environment's Runtime API as a unix socket under a name nobody else can guess (its parent
// directory cannot be listed by others): the gVisor backend bind-mounts it into the sandbox, the
// microVM backend's relay connects to it. Unlike a loopback port, no other local user and no
// other sandbox can reach it. Private to engine/src/sandbox.

#include "lambdesk/engine/result.h"
#include "sandbox/sandbox.h"

#include <filesystem>

namespace lambdesk::engine {

inline constexpr const char *kRuntimeApiSocketName = "runtime-api.sock";

// Listens on <parent>/<random>/runtime-api.sock and hands the listener to spec.serveRuntimeApi.
// Returns the directory (remove it once the environment is gone). Keep parent short: sun_path
// holds 107 bytes.
Result<std::filesystem::path> serveRuntimeApiOnUnixSocket(const std::filesystem::path &parent,
                                                          const EnvironmentSpec &spec);

} // namespace lambdesk::engine
