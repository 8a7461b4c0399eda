#pragma once
// A function's code as plain entries (what git stores and what a zip carries), and TreeWriter, the
// one place that puts code on disk. Trees on disk are what sandboxes mount read-only at
// /var/task, so TreeWriter normalises modes (0644 / 0755 files, 0755 directories) and makes sure
// no symlink resolves outside the tree.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambdesk::engine::detail {

enum class EntryKind { File, Executable, Symlink };

struct TreeEntry {
    std::string path;    // normalised relative path, '/'-separated
    std::string content; // file bytes, or the link target for a symlink
    EntryKind kind = EntryKind::File;
};

// Checks a symlink's target as written: relative, and not leaving the tree when resolved from
// the link's own directory.
Result<void> checkSymlinkTarget(std::string_view linkPath, std::string_view target);

// Writes entries into a new directory. User mistakes (duplicate or conflicting paths, escaping
// links) come back as InvalidParameter; I/O failures throw StoreFailure. Symlinks are created
// last, so no file is ever written through one.
class TreeWriter {
public:
    explicit TreeWriter(std::filesystem::path root); // creates root; it must not exist
    ~TreeWriter();
    TreeWriter(const TreeWriter &) = delete;
    TreeWriter &operator=(const TreeWriter &) = delete;

    Result<void> addDirectory(const std::string &path);
    // Streaming form for large zip entries: beginFile, any number of write, endFile.
    Result<void> beginFile(const std::string &path, bool executable);
    void write(std::string_view bytes);
    void endFile();
    Result<void> addFile(const std::string &path, std::string_view content, bool executable);
    Result<void> addSymlink(const std::string &path, const std::string &target);
    Result<void> addEntry(const TreeEntry &entry);
    // Creates the symlinks and verifies that each resolves inside the tree.
    Result<void> finish();

private:
    Result<void> makeParents(const std::string &path);
    class UniqueFd {
    public:
        UniqueFd() = default;
        explicit UniqueFd(int fd) : m_fd(fd) {}
        UniqueFd(UniqueFd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
        UniqueFd &operator=(UniqueFd &&other) noexcept;
        ~UniqueFd();
        int get() const { return m_fd; }
        void close(); // throws StoreFailure when the kernel reports a write error

    private:
        int m_fd = -1;
    };

    std::filesystem::path m_root;
    UniqueFd m_file;
    std::string m_openPath;
    std::vector<std::pair<std::string, std::string>> m_symlinks;
};

// The editor's file set as entries: paths checked and normalised, sorted, duplicates rejected.
Result<std::vector<TreeEntry>> entriesFromCodeFiles(const std::vector<CodeFile> &files);

} // namespace lambdesk::engine::detail
