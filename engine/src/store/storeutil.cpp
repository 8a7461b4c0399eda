#include "store/storeutil.h"

#include "store/storeoptions.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace lambdesk::engine::detail {

std::string functionArn(const StoreOptions &options, const std::string &name,
                        const std::string &qualifier)
{
    std::string text =
        "arn:aws:lambda:" + options.region + ":" + options.accountId + ":function:" + name;
    if (!qualifier.empty())
        text += ":" + qualifier;
    return text;
}

Error functionNotFound(const StoreOptions &options, const std::string &name,
                       const std::string &qualifier)
{
    return makeError(ErrorCode::NotFound,
                     "Function not found: " + functionArn(options, name, qualifier));
}

std::string formatLastModified(std::int64_t epochMs)
{
    const std::time_t seconds = static_cast<std::time_t>(epochMs / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[96]; // room for any int the compiler cannot rule out
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000",
                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                  utc.tm_sec, static_cast<int>(epochMs % 1000));
    return buffer;
}

Result<std::string> normaliseRelativePath(std::string_view path)
{
    auto reject = [&](const char *why) {
        return makeError(ErrorCode::InvalidParameter,
                         "Invalid file path '" + std::string(path) + "': " + why);
    };
    if (path.empty())
        return reject("empty path");
    if (path.front() == '/')
        return reject("absolute paths are not allowed");
    if (path.find('\0') != std::string_view::npos)
        return reject("contains a NUL byte");
    std::string normalised;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos)
            end = path.size();
        const std::string_view part = path.substr(start, end - start);
        // A backslash-separated ".." would be harmless on Linux, but zips made on Windows use it
        // as a separator, so treat it as the traversal it was meant to be.
        if (part == ".." || part.starts_with("..\\") || part.ends_with("\\..")
            || part.find("\\..\\") != std::string_view::npos) {
            return reject("'..' components are not allowed");
        }
        if (!part.empty() && part != ".") {
            if (!normalised.empty())
                normalised.push_back('/');
            normalised.append(part);
        }
        start = end + 1;
    }
    if (normalised.empty())
        return reject("names no file");
    return normalised;
}

void removeTreeQuietly(const std::filesystem::path &path) noexcept
{
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

std::int64_t treeBytes(const std::filesystem::path &tree)
{
    std::int64_t total = 0;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(tree))
        if (entry.is_regular_file() && !entry.is_symlink())
            total += static_cast<std::int64_t>(entry.file_size());
    return total;
}

Result<void> checkUnzippedTotal(std::int64_t bytes)
{
    if (bytes <= kMaxUnzippedCodeBytes)
        return {};
    return makeError(ErrorCode::InvalidParameter,
                     "Function code combined with layers exceeds the maximum allowed size of " +
                         std::to_string(kMaxUnzippedCodeBytes) + " bytes. The actual size is " +
                         std::to_string(bytes) + " bytes.");
}

} // namespace lambdesk::engine::detail
