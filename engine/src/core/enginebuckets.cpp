// The Engine facade's folder buckets themselves: registering a folder as a bucket, so that
// functions reach its files through S3's object API (served on each environment's Runtime API
// connection, triggers/s3objectroutes.cpp), and where a bucket's files are.
#include "common/clock.h"
#include "core/engineimpl.h"
#include "store/foldertriggers.h"

#include <filesystem>

namespace lambdesk::engine {

Result<FolderBucket> Engine::addFolderBucket(const std::string &folder)
{
    const std::filesystem::path path = normalFolder(folder);
    if (folder.empty() || !path.is_absolute())
        return makeError(ErrorCode::InvalidParameter,
                         "Choose a folder (an absolute path) to stand for the bucket.");
    auto name = folderBucketName(path.string());
    if (!name)
        return name.error();
    // Every function reaches every bucket: none may reach the engine's own files.
    const std::string dataDir = m_impl->options.dataDir.string();
    if (folderWithin(path.string(), dataDir) || folderWithin(dataDir, path.string()))
        return makeError(ErrorCode::InvalidParameter,
                         "The folder " + path.string() +
                             " holds or lies in the engine's data dir (" + dataDir +
                             "): functions would reach its files. Choose another.");
    // As CreateBucket makes the bucket, a folder that is not there yet is made.
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (!std::filesystem::is_directory(path, ec))
        return makeError(ErrorCode::InvalidParameter,
                         "The folder " + path.string() +
                             " is not a directory and cannot be made one.");
    FolderBucket bucket{*name, path.string()};
    auto registered = m_impl->store->folderTriggers().addBucket(bucket, common::epochMillis());
    if (!registered)
        return registered.error();
    if (*registered != bucket.folder)
        return makeError(ErrorCode::Conflict,
                         "The bucket name " + bucket.name + " already stands for the folder " +
                             *registered +
                             ": a bucket name names one bucket. Rename the folder "
                             "or remove that bucket first.");
    return bucket;
}

Result<std::vector<FolderBucket>> Engine::listFolderBuckets()
{
    return m_impl->store->folderTriggers().buckets();
}

Result<void> Engine::removeFolderBucket(const std::string &name)
{
    auto folder = m_impl->store->folderTriggers().bucketFolder(name);
    if (!folder)
        return folder.error();
    if (!*folder)
        return makeError(ErrorCode::NotFound, "The bucket " + name + " does not exist.");
    auto triggers = m_impl->store->folderTriggers().list();
    if (!triggers)
        return triggers.error();
    for (const FolderTrigger &trigger : *triggers)
        if (trigger.bucket == name)
            return makeError(ErrorCode::Conflict, "The bucket " + name + " still invokes " +
                                                      trigger.functionName +
                                                      ": remove its triggers first.");
    return m_impl->store->folderTriggers().removeBucket(name);
}

std::optional<std::filesystem::path> Engine::Impl::folderOf(const std::string &bucket)
{
    auto folder = store->folderTriggers().bucketFolder(bucket);
    if (!folder || !*folder)
        return std::nullopt;
    return std::filesystem::path(**folder);
}

std::vector<FolderBucket> Engine::Impl::buckets()
{
    auto buckets = store->folderTriggers().buckets();
    return buckets ? std::move(*buckets) : std::vector<FolderBucket>{};
}

} // namespace lambdesk::engine
