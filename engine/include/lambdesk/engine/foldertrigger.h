#pragma once
// Folder buckets: a local folder stands in for an S3 bucket (the bucket is named after the
// folder). Functions read and write its files through S3's object API, and its event
// notifications invoke a function with the S3 event when files in it are written or deleted, as
// an S3 trigger does. The rules of the form live here, so the app checks a
// folder exactly as the engine will.

#include "lambdesk/engine/result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace lambdesk::engine {

inline constexpr const char *kS3Principal = "s3.amazonaws.com";
inline constexpr const char *kS3ObjectCreatedAll = "s3:ObjectCreated:*";
inline constexpr const char *kS3ObjectCreatedPut = "s3:ObjectCreated:Put";
inline constexpr const char *kS3ObjectRemovedAll = "s3:ObjectRemoved:*";
inline constexpr const char *kS3ObjectRemovedDelete = "s3:ObjectRemoved:Delete";
inline constexpr std::size_t kMaxObjectKeyBytes = 1024; // S3's limit on a key

// A folder registered as a bucket: one folder per bucket name, as a bucket is one bucket.
struct FolderBucket {
    std::string name;   // the folder's name
    std::string folder; // absolute, normalised
};

// The console's Add trigger → S3 form, with a folder for the bucket.
struct FolderTriggerInput {
    std::string folder;              // an existing directory, absolute
    std::vector<std::string> events; // kS3ObjectCreated* / kS3ObjectRemoved*, at least one
    std::string prefix;              // of the object key ("incoming/")
    std::string suffix;              // of the object key (".csv")
};

struct FolderTrigger {
    std::string id; // the notification's configurationId
    std::string functionName;
    std::string qualifier; // "" for the function itself
    std::string functionArn;
    std::string folder;
    std::string bucket; // the folder's name
    std::vector<std::string> events;
    std::string prefix;
    std::string suffix;
    bool enabled = true;
    bool permitted = false; // the function's policy lets s3.amazonaws.com in for the bucket
};

// How a folder is kept and compared: lexically normal, without a trailing '/' ("/data/inbox/" is
// "/data/inbox").
std::string normalFolder(const std::string &folder);
// `folder` is `outer` or lies inside it, symbolic links followed: writing to it reaches `outer`'s
// watcher, or `outer`'s files are within its reach.
bool folderWithin(const std::string &folder, const std::string &outer);

// The bucket a folder stands for: its name, if that is a valid S3 bucket name (3-63 of a-z, 0-9,
// '.', '-', starting and ending with a letter or digit). InvalidParameterValue otherwise.
Result<std::string> folderBucketName(const std::string &folder);
// The folder exists and is a directory; events, prefix and suffix are what S3 accepts.
Result<void> validateFolderTrigger(const FolderTriggerInput &input);

} // namespace lambdesk::engine
