#pragma once
// Deployment packages (libzip; we never parse zip structures ourselves).

#include "lambdesk/engine/result.h"
#include "store/codetree.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lambdesk::engine::detail {

// Lambda's message for an archive it cannot read.
inline constexpr const char *kCouldNotUnzip =
    "Could not unzip uploaded file. Please check your file, then try to upload again.";

// Extracts a deployment package into `dest` (created; must not exist). Rejects, as
// InvalidParameter: unreadable archives, absolute paths, ".." components, symlinks leading out of
// the tree, and more than `maxBytes` uncompressed — by the declared sizes and again by the bytes
// actually inflated, so a lying header does not get past. Unix mode bits are kept (an executable
// `bootstrap` stays 0755). On failure `dest` may hold a partial tree: the caller removes it.
Result<void> extractZip(std::string_view zipBytes, const std::filesystem::path &dest,
                        std::uint64_t maxBytes);

// A deterministic zip of the entries: sorted by path, fixed timestamps, unix modes, deflated.
// The same entries always give the same bytes (hence the same CodeSha256).
std::string buildZip(std::vector<TreeEntry> entries);

} // namespace lambdesk::engine::detail
