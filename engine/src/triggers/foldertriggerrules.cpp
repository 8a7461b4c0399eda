// The rules of a folder bucket's notification: the folder names a valid bucket, the events are
// S3's, prefix and suffix fit S3's 1024-byte key. Shared by the engine and the app's form.
#include "lambdesk/engine/foldertrigger.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <string_view>

namespace lambdesk::engine {

namespace {

bool bucketCharacter(char c)
{
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

bool letterOrDigit(char c)
{
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
}

} // namespace

std::string normalFolder(const std::string &folder)
{
    std::filesystem::path path = std::filesystem::path(folder).lexically_normal();
    if (path.filename().empty() && path.has_relative_path())
        path = path.parent_path();
    return path.string();
}

bool folderWithin(const std::string &folder, const std::string &outer)
{
    std::error_code ec;
    const auto inner = std::filesystem::weakly_canonical(normalFolder(folder), ec);
    if (ec)
        return false;
    const auto container = std::filesystem::weakly_canonical(normalFolder(outer), ec);
    if (ec)
        return false;
    const auto [end, unused] =
        std::mismatch(container.begin(), container.end(), inner.begin(), inner.end());
    return end == container.end();
}

Result<std::string> folderBucketName(const std::string &folder)
{
    const std::string bucket = std::filesystem::path(normalFolder(folder)).filename().string();
    const bool valid = bucket.size() >= 3 && bucket.size() <= 63 &&
                       std::all_of(bucket.begin(), bucket.end(), bucketCharacter) &&
                       letterOrDigit(bucket.front()) && letterOrDigit(bucket.back()) &&
                       bucket.find("..") == std::string::npos;
    if (!valid)
        return makeError(ErrorCode::InvalidParameter,
                         "The folder's name, '" + bucket +
                             "', is not a valid bucket name: a bucket is named by 3-63 lower-case "
                             "letters, digits, dots and hyphens, starting and ending with a letter "
                             "or digit. Rename the folder or pick another.");
    return bucket;
}

Result<void> validateFolderTrigger(const FolderTriggerInput &input)
{
    std::error_code ec;
    const std::filesystem::path folder(input.folder);
    if (input.folder.empty() || !folder.is_absolute())
        return makeError(ErrorCode::InvalidParameter,
                         "Choose a folder (an absolute path) to stand for the bucket.");
    if (!std::filesystem::is_directory(folder, ec))
        return makeError(ErrorCode::InvalidParameter,
                         "The folder " + input.folder + " does not exist.");
    if (auto bucket = folderBucketName(input.folder); !bucket)
        return bucket.error();
    static constexpr std::array<std::string_view, 4> kEvents = {
        kS3ObjectCreatedAll, kS3ObjectCreatedPut, kS3ObjectRemovedAll, kS3ObjectRemovedDelete};
    if (input.events.empty())
        return makeError(ErrorCode::InvalidParameter, "Choose at least one event type.");
    for (const std::string &event : input.events)
        if (std::find(kEvents.begin(), kEvents.end(), event) == kEvents.end())
            return makeError(ErrorCode::InvalidParameter,
                             "The event " + event + " is not one a folder bucket sends (" +
                                 "s3:ObjectCreated:*, s3:ObjectCreated:Put, s3:ObjectRemoved:*, "
                                 "s3:ObjectRemoved:Delete).");
    if (input.prefix.size() > kMaxObjectKeyBytes || input.suffix.size() > kMaxObjectKeyBytes)
        return makeError(ErrorCode::InvalidParameter, "A prefix or suffix is at most 1024 bytes.");
    return {};
}

} // namespace lambdesk::engine
