#include "core/datadirlock.h"

#include <fcntl.h>
#include <fstream>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace lambdesk::engine {
namespace {

std::filesystem::path lockPath(const std::filesystem::path &dataDir)
{
    return dataDir / "engine.lock";
}

std::string selfDescription()
{
    std::string name = "unknown";
    std::ifstream comm("/proc/self/comm");
    std::getline(comm, name);
    return "pid " + std::to_string(::getpid()) + " (" + name + ")";
}

} // namespace

DataDirLock::~DataDirLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // closing releases the flock
}

DataDirLock::DataDirLock(DataDirLock &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

DataDirLock &DataDirLock::operator=(DataDirLock &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

Result<DataDirLock> DataDirLock::acquire(const std::filesystem::path &dataDir)
{
    std::error_code ec;
    std::filesystem::create_directories(dataDir, ec);
    if (ec)
        return makeError(ErrorCode::ServiceError, "cannot create data dir " + dataDir.string() + ": " + ec.message());
    DataDirLock lock;
    lock.m_fd = ::open(lockPath(dataDir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock.m_fd < 0)
        return makeError(ErrorCode::ServiceError, "cannot open " + lockPath(dataDir).string());
    if (::flock(lock.m_fd, LOCK_EX | LOCK_NB) != 0)
        return makeError(ErrorCode::EngineLocked, "data dir " + dataDir.string() + " is in use by " +
                                                      holder(dataDir));
    const std::string me = selfDescription() + "\n";
    if (::ftruncate(lock.m_fd, 0) != 0 || ::pwrite(lock.m_fd, me.data(), me.size(), 0) < 0)
        return makeError(ErrorCode::ServiceError, "cannot write " + lockPath(dataDir).string());
    return lock;
}

std::string DataDirLock::holder(const std::filesystem::path &dataDir)
{
    std::ifstream in(lockPath(dataDir));
    std::string line;
    if (!std::getline(in, line) || line.empty())
        return "another process";
    return line;
}

} // namespace lambdesk::engine
