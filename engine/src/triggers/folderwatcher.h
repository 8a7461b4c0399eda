#pragma once
// Watches a folder and everything under it (inotify) and reports each file written, moved in,
// deleted or moved out, with its path relative to the folder. A directory made later is watched
// as it appears, and files already in it are reported as written.
//
// When changes come faster than they are handled, the kernel drops them (its queue overflows):
// that is reported as Overflowed, then the tree is walked again so every directory made meanwhile
// is watched and its files reported as written. Changes to files in directories already watched
// are lost with the dropped events.
//
// The callback runs on the watcher's own thread; stop() (and the destructor) wait for it.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

namespace lambdesk::engine::triggers {

struct FolderChange {
    enum class Kind { Written, Removed, Overflowed };
    Kind kind = Kind::Written;
    std::string relativePath; // "reports/2026/q4.csv", '/'-separated; "" when Overflowed
};

class FolderWatcher {
public:
    using Handler = std::function<void(const FolderChange &)>;

    FolderWatcher(std::filesystem::path root, Handler handler);
    ~FolderWatcher(); // stop()
    FolderWatcher(const FolderWatcher &) = delete;
    FolderWatcher &operator=(const FolderWatcher &) = delete;

    // Begins watching; false (with the reason in error()) when the folder cannot be watched.
    bool start();
    void stop();
    const std::string &error() const { return m_error; }
    const std::filesystem::path &root() const { return m_root; }

private:
    void run();
    void watchTree(const std::filesystem::path &directory, bool reportFiles);
    void handle(int watch, std::uint32_t mask, const std::string &name);
    void recoverFromOverflow();

    std::filesystem::path m_root;
    Handler m_handler;
    int m_inotify = -1;
    int m_wake = -1; // eventfd: stop() writes it so the thread leaves poll()
    std::map<int, std::filesystem::path> m_directories; // watch descriptor -> directory
    std::string m_error;
    std::thread m_thread;
};

} // namespace lambdesk::engine::triggers
