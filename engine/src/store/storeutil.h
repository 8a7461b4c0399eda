#pragma once
// Small helpers shared by the store's files: hashing, ids, timestamps, and the internal failure
// type. StoreFailure is thrown only inside the store for unexpected I/O, SQLite and libgit2
// failures; every public FunctionStore method catches it and returns ServiceError, so no
// exception crosses the engine boundary.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/validation.h"

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lambdesk::engine::detail {

struct StoreFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Lambda's limit on the unzipped deployment package.
inline constexpr auto kMaxUnzippedBytes = static_cast<std::uint64_t>(kMaxUnzippedCodeBytes);
// Longest a running invocation may still use replaced code (Lambda's maximum timeout, 900 s,
// plus margin); retired code trees are kept this long before they are deleted.
inline constexpr std::int64_t kRetiredTreeGraceMs = std::int64_t{16} * 60 * 1000;

std::string formatLastModified(std::int64_t epochMs); // "2026-11-25T15:39:06.000+0000"

// Checks one '/'-separated path from a zip or the editor: relative, no "..", no empty name.
// Returns it normalised ("./a//b" -> "a/b"), or an InvalidParameter error naming the path.
Result<std::string> normaliseRelativePath(std::string_view path);

// Bytes of the regular files under `tree` (symlinks not followed): a code tree's unzipped size.
std::int64_t treeBytes(const std::filesystem::path &tree);

// Lambda's limit on a function's code and layers together, unzipped: InvalidParameter when
// `bytes` exceeds it.
Result<void> checkUnzippedTotal(std::int64_t bytes);

// remove_all that never throws; used on cleanup paths where the primary error matters more.
void removeTreeQuietly(const std::filesystem::path &path) noexcept;

} // namespace lambdesk::engine::detail
