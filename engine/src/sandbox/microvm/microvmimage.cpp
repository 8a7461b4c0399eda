#include "sandbox/microvm/microvmimage.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace lambdesk::engine {

namespace fs = std::filesystem;

fs::path MicroVmImage::buildScript()
{
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed =
            self.parent_path().parent_path() / "share/lambdesk/guest/build-image.sh";
        if (fs::exists(installed, ec))
            return installed;
    }
    return fs::path(LAMBDESK_SOURCE_DIR) / "packaging/guest/build-image.sh";
}

Result<MicroVmImage> MicroVmImage::locate(const fs::path &cacheDir)
{
    const fs::path manifest = cacheDir / "guest" / "image.json";
    const std::string notBuilt = "guest image not built: run " + buildScript().string();
    std::ifstream in(manifest);
    if (!in)
        return makeError(ErrorCode::Unsupported, notBuilt);
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return makeError(ErrorCode::Unsupported,
                         notBuilt + " (" + manifest.string() + " is unreadable)");
    MicroVmImage image;
    image.kernel = json.value("kernel", "");
    image.rootfs = json.value("rootfs", "");
    for (const auto &path : json.value("interpreters", nlohmann::json::array()))
        if (path.is_string())
            image.interpreters.emplace_back(path.get<std::string>());
    std::error_code ec;
    if (image.kernel.empty() || !fs::exists(image.kernel, ec))
        return makeError(ErrorCode::Unsupported, notBuilt + " (guest kernel missing)");
    if (image.rootfs.empty() || !fs::exists(image.rootfs, ec))
        return makeError(ErrorCode::Unsupported, notBuilt + " (guest root image missing)");
    return image;
}

bool MicroVmImage::holdsInterpreter(const fs::path &hostPath) const
{
    std::error_code ec;
    const fs::path resolved = fs::canonical(hostPath, ec);
    for (const auto &candidate : interpreters) {
        if (candidate == hostPath || (!ec && candidate == resolved))
            return true;
    }
    return false;
}

} // namespace lambdesk::engine
