#pragma once
// Folder buckets and their notifications (foldertrigger.h), rows in SQLite; a notification goes
// with its function, a bucket stays until it is removed.
// The engine owns the rules and fills functionArn and permitted; this keeps what it is given.
//
// Thread-safe, with a connection and a lock of its own.

#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/result.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

class FolderTriggerStore {
public:
    static Result<std::unique_ptr<FolderTriggerStore>> open(const std::filesystem::path &database);
    ~FolderTriggerStore();
    FolderTriggerStore(const FolderTriggerStore &) = delete;
    FolderTriggerStore &operator=(const FolderTriggerStore &) = delete;

    Result<void> add(const FolderTrigger &trigger, std::int64_t nowMs);
    // One function's ("" for every function's), oldest first.
    Result<std::vector<FolderTrigger>> list(const std::string &functionName = {});
    Result<std::optional<FolderTrigger>> get(const std::string &functionName,
                                             const std::string &id);
    Result<void> setEnabled(const std::string &id, bool enabled);
    Result<void> remove(const std::string &id);

    // Registers the bucket unless its name is taken; answers the folder the name stands for
    // (the one given, or the one registered before).
    Result<std::string> addBucket(const FolderBucket &bucket, std::int64_t nowMs);
    Result<std::optional<std::string>> bucketFolder(const std::string &name);
    Result<std::vector<FolderBucket>> buckets(); // by name
    Result<void> removeBucket(const std::string &name);

private:
    struct Impl;
    explicit FolderTriggerStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
