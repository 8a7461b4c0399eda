#pragma once
// Exclusive ownership of a data dir: one engine (CLI or app) at a time. flock() on a file that
// names the holder; the kernel releases it when the holder dies, even by SIGKILL.

#include "lambdesk/engine/result.h"

#include <filesystem>
#include <string>

namespace lambdesk::engine {

class DataDirLock {
public:
    DataDirLock() = default;
    ~DataDirLock();
    DataDirLock(DataDirLock &&other) noexcept;
    DataDirLock &operator=(DataDirLock &&other) noexcept;
    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

    // EngineLocked naming the holder ("pid 1234 (lambdesk-engine)") when another process has it.
    static Result<DataDirLock> acquire(const std::filesystem::path &dataDir);
    static std::string holder(const std::filesystem::path &dataDir);

private:
    int m_fd = -1;
};

} // namespace lambdesk::engine
