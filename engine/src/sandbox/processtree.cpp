#include "sandbox/processtree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

namespace lambdesk::engine::procsandbox {
namespace {

// Reads a small procfs file relative to dirFd into buffer; returns the bytes read or -1.
ssize_t readSmallFile(int dirFd, const char *relative, char *buffer, std::size_t size)
{
    const int fd = ::openat(dirFd, relative, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    std::size_t total = 0;
    while (total + 1 < size) {
        const ssize_t n = ::read(fd, buffer + total, size - 1 - total);
        if (n <= 0)
            break;
        total += static_cast<std::size_t>(n);
    }
    ::close(fd);
    buffer[total] = '\0';
    return static_cast<ssize_t>(total);
}

std::optional<pid_t> parsePid(std::string_view text)
{
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || end != text.data() + text.size() || pid <= 0)
        return std::nullopt;
    return pid;
}

void appendPidList(std::string_view text, std::vector<pid_t> &out)
{
    while (!text.empty()) {
        const auto space = text.find_first_of(" \n");
        if (auto pid = parsePid(text.substr(0, space)))
            out.push_back(*pid);
        if (space == std::string_view::npos)
            break;
        text.remove_prefix(space + 1);
    }
}

std::uint64_t pageSize()
{
    static const std::uint64_t size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

} // namespace

std::optional<ProcDir> ProcDir::open(const std::filesystem::path &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    ProcDir dir;
    dir.m_dir.reset(::fdopendir(fd));
    if (!dir.m_dir) {
        ::close(fd);
        return std::nullopt;
    }
    dir.m_device = info.st_dev;
    return dir;
}

const ProcDir &ProcDir::host()
{
    static const ProcDir dir = *ProcDir::open("/proc");
    return dir;
}

std::vector<pid_t> ProcDir::pids() const
{
    // A fresh DIR per listing: the shared one may be used from several threads.
    std::vector<pid_t> result;
    const int listFd = ::openat(fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (listFd < 0)
        return result;
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(listFd));
    if (!dir) {
        ::close(listFd);
        return result;
    }
    while (const dirent *entry = ::readdir(dir.get())) {
        if (entry->d_name[0] >= '1' && entry->d_name[0] <= '9')
            if (auto pid = parsePid(entry->d_name))
                result.push_back(*pid);
    }
    return result;
}

std::vector<pid_t> ProcDir::children(pid_t pid) const
{
    // Children are listed per thread (the one that forked them), so read every thread's list.
    std::vector<pid_t> result;
    char path[64];
    std::snprintf(path, sizeof path, "%d/task", pid);
    const int taskFd = ::openat(fd(), path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (taskFd < 0)
        return result;
    std::unique_ptr<DIR, DirCloser> tasks(::fdopendir(taskFd));
    if (!tasks) {
        ::close(taskFd);
        return result;
    }
    char buffer[4096];
    while (const dirent *entry = ::readdir(tasks.get())) {
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
            continue;
        const std::string children = std::string(entry->d_name) + "/children";
        const ssize_t n = readSmallFile(taskFd, children.c_str(), buffer, sizeof buffer);
        if (n > 0)
            appendPidList(std::string_view(buffer, static_cast<std::size_t>(n)), result);
    }
    return result;
}

std::vector<pid_t> ProcDir::descendants(pid_t root) const
{
    std::vector<pid_t> result = children(root);
    for (std::size_t i = 0; i < result.size() && result.size() < 100000; ++i) {
        const auto more = children(result[i]);
        result.insert(result.end(), more.begin(), more.end());
    }
    return result;
}

std::optional<std::uint64_t> ProcDir::residentBytes(pid_t pid) const
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/statm", pid);
    char buffer[256];
    if (readSmallFile(fd(), path, buffer, sizeof buffer) <= 0)
        return std::nullopt;
    // "size resident shared text lib data dt", in pages
    const char *space = std::strchr(buffer, ' ');
    if (!space)
        return std::nullopt;
    std::uint64_t pages = 0;
    std::from_chars(space + 1, buffer + std::strlen(buffer), pages);
    return pages * pageSize();
}

std::optional<std::uint64_t> ProcDir::peakResidentBytes(pid_t pid) const
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/status", pid);
    char buffer[4096];
    if (readSmallFile(fd(), path, buffer, sizeof buffer) <= 0)
        return std::nullopt;
    const char *line = std::strstr(buffer, "\nVmHWM:");
    if (!line)
        return std::nullopt; // kernel threads and zombies have no memory lines
    line += 7;
    while (*line == ' ' || *line == '\t')
        ++line;
    std::uint64_t kib = 0;
    std::from_chars(line, buffer + std::strlen(buffer), kib);
    return kib * 1024;
}

bool ProcDir::exists(pid_t pid) const
{
    char path[32];
    std::snprintf(path, sizeof path, "%d", pid);
    struct stat info {};
    return ::fstatat(fd(), path, &info, 0) == 0;
}

std::uint64_t ProcDir::startTime(pid_t pid) const
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/stat", pid);
    char buffer[1024];
    if (readSmallFile(fd(), path, buffer, sizeof buffer) <= 0)
        return 0;
    // "pid (comm) state ppid ...": comm may hold spaces and ')', so count from the last ')'.
    const char *field = std::strrchr(buffer, ')');
    for (int i = 2; field && i < 22; ++i)
        field = std::strchr(field + 1, ' ');
    std::uint64_t ticks = 0;
    if (field)
        std::from_chars(field + 1, buffer + std::strlen(buffer), ticks);
    return ticks;
}

std::string ProcDir::commandLine(pid_t pid) const
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/cmdline", pid);
    char buffer[4096];
    const ssize_t n = readSmallFile(fd(), path, buffer, sizeof buffer);
    if (n <= 0)
        return {};
    std::string text(buffer, static_cast<std::size_t>(n));
    for (char &c : text)
        if (c == '\0')
            c = ' ';
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

int ProcDir::findDescriptor(pid_t pid, const std::string &target) const
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/fd", pid);
    const int dirFd = ::openat(fd(), path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0)
        return -1;
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dirFd));
    if (!dir) {
        ::close(dirFd);
        return -1;
    }
    char link[256];
    while (const dirent *entry = ::readdir(dir.get())) {
        const ssize_t n = ::readlinkat(dirFd, entry->d_name, link, sizeof link);
        if (n > 0 && std::string_view(link, static_cast<std::size_t>(n)) == target)
            if (auto number = parsePid(entry->d_name))
                return *number;
    }
    return -1;
}

std::optional<std::uint64_t> ProcDir::descriptorAllocatedBytes(pid_t pid, int descriptor) const
{
    char path[48];
    std::snprintf(path, sizeof path, "%d/fd/%d", pid, descriptor);
    struct stat info {};
    if (::fstatat(fd(), path, &info, 0) != 0)
        return std::nullopt;
    return static_cast<std::uint64_t>(info.st_blocks) * 512;
}

} // namespace lambdesk::engine::procsandbox
