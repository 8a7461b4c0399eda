#pragma once
// Maps Lambda runtime ids to what this machine has: python3.x -> /usr/bin/python3.x,
// nodejsNN.x -> node whose major version is NN, provided.al2/al2023 -> the function's bootstrap.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"
#include "sandbox/sandbox.h"

#include <filesystem>
#include <string>
#include <vector>

namespace lambdesk::engine {

class RuntimeCatalog {
public:
    // runtimeDir holds our bootstraps: python/bootstrap.py, node/bootstrap.js.
    explicit RuntimeCatalog(std::filesystem::path runtimeDir);

    // InvalidParameter for an id Lambda does not have; Unsupported, naming what is available,
    // for a known id this machine cannot run.
    Result<RuntimeInfo> resolve(const std::string &runtimeId) const;
    std::vector<Availability> all() const; // every known id, available first

    // The bootstrap dir: explicit option, else next to the binary (../share/lambdesk/runtimes),
    // else the source tree.
    static std::filesystem::path locateRuntimeDir();

private:
    std::filesystem::path m_runtimeDir;
    std::vector<Availability> m_all;
    std::vector<RuntimeInfo> m_available;
};

} // namespace lambdesk::engine
