#pragma once
// Starts QEMU processes that die with the engine. PR_SET_PDEATHSIG fires when the *thread* that
// forked the child exits, not the process, so every VM is forked by one thread that lives as long
// as the engine: when the engine goes away by any route (SIGKILL included), its VMs go too.
// Leftovers are still reaped from pidfiles (MicroVmProcess::reapLeftovers) as a second line.

#include "lambdesk/engine/result.h"

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lambdesk::engine {

// argv[0] is an absolute path. passFds[i] becomes descriptor 3+i in the child and every other
// descriptor is closed; stdout and stderr append to logFile. The child runs in its own process
// group; with ownNetworkNamespace, in a new network namespace too (and, for an engine that is not
// root, a user namespace that maps only the engine's own ids). Thread-safe; returns the child's
// pid.
Result<pid_t> spawnMicroVmProcess(const std::vector<std::string> &argv,
                                  const std::vector<int> &passFds,
                                  const std::filesystem::path &logFile,
                                  bool ownNetworkNamespace = false);

} // namespace lambdesk::engine
