#include "triggers/folderwatcher.h"

#include "triggers/folderobjects.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <set>
#include <system_error>
#include <vector>

namespace lambdesk::engine::triggers {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM |
                                IN_CREATE | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

} // namespace

FolderWatcher::FolderWatcher(fs::path root, Handler handler)
    : m_root(std::move(root)), m_handler(std::move(handler))
{
}

FolderWatcher::~FolderWatcher()
{
    stop();
}

bool FolderWatcher::start()
{
    m_inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    m_wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_inotify < 0 || m_wake < 0) {
        m_error = std::string("inotify: ") + std::strerror(errno);
        stop();
        return false;
    }
    watchTree(m_root, false);
    if (m_directories.empty()) {
        m_error = "cannot watch " + m_root.string() + ": " + std::strerror(errno);
        stop();
        return false;
    }
    m_thread = std::thread([this] { run(); });
    return true;
}

void FolderWatcher::stop()
{
    if (m_wake >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = write(m_wake, &one, sizeof one);
    }
    if (m_thread.joinable())
        m_thread.join();
    for (int *fd : {&m_inotify, &m_wake}) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
    }
    m_directories.clear();
}

// Watches `directory` and the directories under it; with reportFiles, the files already there
// are reported as written (they arrived before the watch could see them).
void FolderWatcher::watchTree(const fs::path &directory, bool reportFiles)
{
    const int watch = inotify_add_watch(m_inotify, directory.c_str(), kMask | IN_ONLYDIR);
    if (watch < 0)
        return; // gone already, or not a directory: nothing to watch
    m_directories[watch] = directory;
    std::error_code ec;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (partialUpload(it->path()))
            continue;
        if (fs::is_directory(status))
            watchTree(it->path(), reportFiles);
        else if (reportFiles && fs::is_regular_file(status))
            m_handler({FolderChange::Kind::Written,
                       it->path().lexically_relative(m_root).generic_string()});
    }
}

void FolderWatcher::handle(int watch, std::uint32_t mask, const std::string &name)
{
    const auto directory = m_directories.find(watch);
    if (directory == m_directories.end() || name.empty())
        return;
    const fs::path path = directory->second / name;
    if (partialUpload(path))
        return; // an object's partial file or an upload's parts: its rename to the key is the event
    if (mask & IN_ISDIR) {
        if (mask & (IN_CREATE | IN_MOVED_TO))
            watchTree(path, true);
        return;
    }
    const std::string relative = path.lexically_relative(m_root).generic_string();
    if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
        m_handler({FolderChange::Kind::Written, relative});
    else if (mask & (IN_DELETE | IN_MOVED_FROM))
        m_handler({FolderChange::Kind::Removed, relative});
}

void FolderWatcher::recoverFromOverflow()
{
    m_handler({FolderChange::Kind::Overflowed, {}});
    std::set<fs::path> watched;
    for (auto it = m_directories.begin(); it != m_directories.end();) {
        std::error_code ec;
        if (fs::is_directory(fs::symlink_status(it->second, ec))) {
            watched.insert(it->second);
            ++it;
        } else {
            it = m_directories.erase(it); // removed while its events were being dropped
        }
    }
    std::vector<fs::path> unwatched;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(m_root, ec), end; !ec && it != end; it.increment(ec)) {
        if (!fs::is_directory(it->symlink_status(ec)) || watched.count(it->path()))
            continue;
        if (partialUpload(it->path())) {
            it.disable_recursion_pending();
            continue;
        }
        unwatched.push_back(it->path());
        it.disable_recursion_pending(); // watchTree takes the directory and all under it
    }
    for (const fs::path &directory : unwatched)
        watchTree(directory, true);
}

void FolderWatcher::run()
{
    alignas(inotify_event) std::array<char, std::size_t{64} * 1024> buffer{};
    std::array<pollfd, 2> fds{{{m_inotify, POLLIN, 0}, {m_wake, POLLIN, 0}}};
    while (true) {
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (fds[1].revents != 0)
            return;
        bool overflowed = false;
        while (true) {
            const ssize_t length = read(m_inotify, buffer.data(), buffer.size());
            if (length <= 0)
                break;
            for (ssize_t offset = 0; offset < length;) {
                const auto *event = reinterpret_cast<const inotify_event *>(buffer.data() + offset);
                if (event->mask & IN_Q_OVERFLOW)
                    overflowed = true;
                else if (event->mask & IN_IGNORED)
                    m_directories.erase(event->wd);
                else
                    handle(event->wd, event->mask,
                           event->len > 0 ? std::string(event->name) : std::string());
                offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            }
        }
        if (overflowed) // once the queue is drained: what the walk finds is not reported twice
            recoverFromOverflow();
    }
}

} // namespace lambdesk::engine::triggers
