#pragma once
// The guest image the microVM backend boots: the kernel and root image that
// packaging/guest/build-image.sh built, as recorded in <cacheDir>/guest/image.json.

#include "lambdesk/engine/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace lambdesk::engine {

struct MicroVmImage {
    std::filesystem::path kernel;
    std::filesystem::path rootfs;
    std::vector<std::filesystem::path> interpreters; // host paths the image also holds

    // Reads <cacheDir>/guest/image.json and checks that the files exist. The error message tells
    // the user how to build the image.
    static Result<MicroVmImage> locate(const std::filesystem::path &cacheDir);
    // The script that builds it: installed share/lambdesk/guest, else the source tree.
    static std::filesystem::path buildScript();

    bool holdsInterpreter(const std::filesystem::path &hostPath) const;
};

} // namespace lambdesk::engine
