#pragma once
// Per-backend numbers in one run: cold start, warm round trip p50/p99, host memory per idle warm
// environment (process, gvisor, microvm).

#include "benchutil.h"
#include "lambdesk/engine/engine.h"

#include <string>
#include <vector>

namespace lambdesk::bench {

void benchBackends(engine::Engine &engine, int apiPort, const std::string &pythonRuntime,
                   const std::vector<std::string> &backends, Table &table);

struct ProcessMemory {
    std::uint64_t rss = 0; // bytes
    std::uint64_t pss = 0;
};
// Memory of every process descended from this one (sandboxes, VMs).
ProcessMemory descendantsMemory();

} // namespace lambdesk::bench
