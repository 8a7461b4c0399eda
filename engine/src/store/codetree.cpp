#include "store/codetree.h"

#include "store/storeutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace fs = std::filesystem;

namespace lambdesk::engine::detail {

namespace {

Error conflict(const std::string &path, const std::string &why)
{
    return makeError(ErrorCode::InvalidParameter, "Invalid file path '" + path + "': " + why);
}

// Callers normalise paths (zip names, editor paths) first; the writer still refuses anything
// else, so no caller's slip can put a file outside the tree.
Result<void> checkNormalised(const std::string &path)
{
    auto normalised = normaliseRelativePath(path);
    if (!normalised)
        return normalised.error();
    if (*normalised != path)
        return conflict(path, "not a normalised relative path");
    return {};
}

[[noreturn]] void ioFailure(const std::string &what)
{
    throw StoreFailure(what + ": " + std::strerror(errno));
}

bool isInside(const fs::path &root, const fs::path &candidate)
{
    auto rootIt = root.begin();
    auto it = candidate.begin();
    for (; rootIt != root.end(); ++rootIt, ++it) {
        if (rootIt->empty() && std::next(rootIt) == root.end())
            break; // trailing slash on root
        if (it == candidate.end() || *it != *rootIt)
            return false;
    }
    return true;
}

} // namespace

Result<void> checkSymlinkTarget(std::string_view linkPath, std::string_view target)
{
    const std::string name(linkPath);
    if (target.empty())
        return conflict(name, "symlink has an empty target");
    if (target.front() == '/')
        return conflict(name, "symlink points to an absolute path");
    if (target.size() > 4096 || target.find('\0') != std::string_view::npos)
        return conflict(name, "symlink target is not a valid path");
    // Resolve lexically from the link's own directory; the depth may never go below the root.
    int depth = static_cast<int>(std::count(linkPath.begin(), linkPath.end(), '/'));
    std::size_t start = 0;
    while (start <= target.size()) {
        std::size_t end = target.find('/', start);
        if (end == std::string_view::npos)
            end = target.size();
        const std::string_view part = target.substr(start, end - start);
        if (part == "..") {
            if (--depth < 0)
                return conflict(name, "symlink points outside the code directory");
        } else if (!part.empty() && part != ".") {
            ++depth;
        }
        start = end + 1;
    }
    return {};
}

TreeWriter::UniqueFd &TreeWriter::UniqueFd::operator=(UniqueFd &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

TreeWriter::UniqueFd::~UniqueFd()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void TreeWriter::UniqueFd::close()
{
    const int fd = std::exchange(m_fd, -1);
    if (fd >= 0 && ::close(fd) != 0)
        ioFailure("closing a code file");
}

TreeWriter::TreeWriter(fs::path root) : m_root(std::move(root))
{
    if (::mkdir(m_root.c_str(), 0755) != 0)
        ioFailure("creating " + m_root.string());
}

TreeWriter::~TreeWriter() = default;

Result<void> TreeWriter::makeParents(const std::string &path)
{
    if (auto checked = checkNormalised(path); !checked)
        return checked;
    const fs::path parent = fs::path(path).parent_path();
    if (parent.empty())
        return {};
    std::error_code error;
    fs::create_directories(m_root / parent, error);
    if (error) {
        if (error == std::errc::file_exists || error == std::errc::not_a_directory)
            return conflict(path, "a parent of it is also a file");
        throw StoreFailure("creating " + (m_root / parent).string() + ": " + error.message());
    }
    return {};
}

Result<void> TreeWriter::addDirectory(const std::string &path)
{
    if (auto parents = makeParents(path + "/x"); !parents)
        return parents;
    return {};
}

Result<void> TreeWriter::beginFile(const std::string &path, bool executable)
{
    if (auto parents = makeParents(path); !parents)
        return parents;
    const mode_t mode = executable ? 0755 : 0644;
    const fs::path full = m_root / path;
    const int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST || errno == EISDIR || errno == ENOTDIR)
            return conflict(path, "the archive holds it twice or also as a directory");
        ioFailure("creating " + full.string());
    }
    m_file = UniqueFd(fd);
    m_openPath = path;
    // open() applies the umask; sandboxes need exactly these bits (a bootstrap must stay 0755).
    if (::fchmod(fd, mode) != 0)
        ioFailure("setting the mode of " + full.string());
    return {};
}

void TreeWriter::write(std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(m_file.get(), bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            ioFailure("writing " + (m_root / m_openPath).string());
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
}

void TreeWriter::endFile()
{
    m_file.close();
    m_openPath.clear();
}

Result<void> TreeWriter::addFile(const std::string &path, std::string_view content, bool executable)
{
    if (auto begun = beginFile(path, executable); !begun)
        return begun;
    write(content);
    endFile();
    return {};
}

Result<void> TreeWriter::addSymlink(const std::string &path, const std::string &target)
{
    if (auto normalised = checkNormalised(path); !normalised)
        return normalised;
    if (auto checked = checkSymlinkTarget(path, target); !checked)
        return checked;
    m_symlinks.emplace_back(path, target);
    return {};
}

Result<void> TreeWriter::addEntry(const TreeEntry &entry)
{
    switch (entry.kind) {
    case EntryKind::Symlink: return addSymlink(entry.path, entry.content);
    case EntryKind::Executable: return addFile(entry.path, entry.content, true);
    case EntryKind::File: break;
    }
    return addFile(entry.path, entry.content, false);
}

Result<void> TreeWriter::finish()
{
    for (const auto &[path, target] : m_symlinks) {
        if (auto parents = makeParents(path); !parents)
            return parents;
        const fs::path full = m_root / path;
        if (::symlink(target.c_str(), full.c_str()) != 0) {
            if (errno == EEXIST)
                return conflict(path, "the archive holds it twice or also as a directory");
            ioFailure("creating symlink " + full.string());
        }
    }
    // The lexical check cannot see links chained through other links ("a" -> ".", "b" ->
    // "a/.."), so resolve each one for real now that all of them exist.
    const fs::path root = fs::canonical(m_root);
    for (const auto &link : m_symlinks) {
        std::error_code error;
        const fs::path resolved = fs::weakly_canonical(m_root / link.first, error);
        if (error)
            return conflict(link.first, "symlink cannot be resolved (" + error.message() + ")");
        if (!isInside(root, resolved))
            return conflict(link.first, "symlink points outside the code directory");
    }
    return {};
}

Result<std::vector<TreeEntry>> entriesFromCodeFiles(const std::vector<CodeFile> &files)
{
    std::vector<TreeEntry> entries;
    entries.reserve(files.size());
    std::set<std::string> seen;
    for (const CodeFile &file : files) {
        auto path = normaliseRelativePath(file.path);
        if (!path)
            return path.error();
        if (!seen.insert(*path).second)
            return conflict(*path, "the file set holds it twice");
        entries.push_back({*path, file.content,
                           file.executable ? EntryKind::Executable : EntryKind::File});
    }
    std::sort(entries.begin(), entries.end(),
              [](const TreeEntry &a, const TreeEntry &b) { return a.path < b.path; });
    return entries;
}

} // namespace lambdesk::engine::detail
