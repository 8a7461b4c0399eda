#include "triggers/folderobjects.h"

#include "common/encoding.h"
#include "common/random.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace lambdesk::engine::triggers {
namespace {

Error noSuchKey()
{
    return makeError(ErrorCode::NotFound, "The specified key does not exist.");
}

Error diskError(const std::string &what, const std::error_code &ec)
{
    return makeError(ErrorCode::ServiceError, what + ": " + ec.message());
}

std::int64_t modifiedMs(const fs::path &file, std::error_code &ec)
{
    const auto written = fs::last_write_time(file, ec);
    const auto system = std::chrono::file_clock::to_sys(written);
    return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

bool writeAll(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

// `content`, then each of `pieces`, in a new file, flushed to the disk.
bool writeSynced(const fs::path &file, std::string_view content,
                 const std::vector<fs::path> &pieces)
{
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    bool ok = writeAll(fd, content);
    std::vector<char> buffer(std::size_t{1} << 20);
    for (const fs::path &piece : pieces) {
        std::ifstream in(piece, std::ios::binary);
        while (ok && in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            ok = writeAll(fd, {buffer.data(), static_cast<std::size_t>(in.gcount())});
        }
        ok = ok && in.eof();
    }
    ok = ok && ::fsync(fd) == 0;
    return ::close(fd) == 0 && ok;
}

void syncDirectory(const fs::path &directory)
{
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

bool partialUpload(const fs::path &path)
{
    return path.filename().string().starts_with(kPartialUploadPrefix);
}

FolderObjects::FolderObjects(fs::path folder) : m_folder(std::move(folder))
{
}

Result<fs::path> FolderObjects::pathOf(const std::string &key) const
{
    const auto refuse = [&key](const std::string &why) {
        return makeError(ErrorCode::InvalidParameter,
                         "The key '" + key + "' cannot be a file in the folder: " + why);
    };
    if (key.empty())
        return refuse("it is empty.");
    if (key.size() > kMaxObjectKeyBytes)
        return makeError(ErrorCode::InvalidParameter, "Your key is too long.");
    if (key.find('\0') != std::string::npos)
        return refuse("it holds a NUL character.");
    if (key.front() == '/')
        return refuse("it starts with '/'.");
    const std::string_view segments(key.data(), key.back() == '/' ? key.size() - 1 : key.size());
    for (std::size_t start = 0; start <= segments.size();) {
        const std::size_t end = std::min(segments.find('/', start), segments.size());
        const std::string_view segment = segments.substr(start, end - start);
        if (segment.empty() || segment == "." || segment == "..")
            return refuse("a path segment is empty, '.' or '..'.");
        if (segment.starts_with(kPartialUploadPrefix))
            return refuse("the name is kept for uploads in progress.");
        start = end + 1;
    }
    // A symbolic link in the folder must not lead a function out of it.
    std::error_code rootError;
    std::error_code pathError;
    const fs::path root = fs::weakly_canonical(m_folder, rootError);
    const fs::path path = fs::weakly_canonical(m_folder / key, pathError);
    if (rootError || pathError)
        return diskError("the folder cannot be read", rootError ? rootError : pathError);
    const auto [rootEnd, pathIt] =
        std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    if (rootEnd != root.end())
        return refuse("it leads out of the folder.");
    return m_folder / key;
}

Result<fs::path> FolderObjects::objectFile(const std::string &key) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    std::error_code ec;
    if (key.back() == '/' || !fs::is_regular_file(*path, ec))
        return noSuchKey();
    return path;
}

Result<ObjectInfo> FolderObjects::head(const std::string &key, bool withETag) const
{
    auto path = objectFile(key);
    if (!path)
        return path.error();
    std::error_code ec;
    ObjectInfo info;
    info.key = key;
    info.size = fs::file_size(*path, ec);
    info.lastModifiedMs = modifiedMs(*path, ec);
    auto md5 = withETag ? common::fileMd5Hex(*path) : std::optional<std::string>("");
    if (ec || !md5)
        return noSuchKey(); // deleted under us
    info.eTag = std::move(*md5);
    return info;
}

Result<std::string> FolderObjects::read(const std::string &key) const
{
    auto path = objectFile(key);
    if (!path)
        return path.error();
    std::ifstream in(*path, std::ios::binary);
    if (!in)
        return noSuchKey();
    return std::string(std::istreambuf_iterator<char>(in), {});
}

Result<ObjectInfo> FolderObjects::write(const std::string &key, std::string_view content) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    std::error_code ec;
    if (key.back() == '/') {
        if (!content.empty())
            return makeError(ErrorCode::InvalidParameter,
                             "The key '" + key + "' ends in '/', a folder: it holds no content.");
        fs::create_directories(*path, ec);
        if (ec)
            return diskError("the folder " + key + " cannot be made", ec);
        return ObjectInfo{key, 0, common::md5Hex({}), 0};
    }
    return land(key, *path, content);
}

Result<ObjectInfo> FolderObjects::land(const std::string &key, const fs::path &path,
                                       std::string_view content,
                                       const std::vector<fs::path> &pieces) const
{
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return diskError("the folder for " + key + " cannot be made", ec);
    if (fs::is_directory(path, ec))
        return makeError(ErrorCode::InvalidParameter,
                         "The key '" + key + "' is a folder here; an object cannot replace it.");
    const fs::path partial =
        path.parent_path() / (std::string(kPartialUploadPrefix) + common::newUuid());
    // On the disk before its name is: after a crash the key holds the old object or the new one.
    if (!writeSynced(partial, content, pieces)) {
        fs::remove(partial, ec);
        return makeError(ErrorCode::ServiceError, "the object " + key + " cannot be written");
    }
    fs::rename(partial, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        return diskError("the object " + key + " cannot be written", ec);
    }
    syncDirectory(path.parent_path());
    ObjectInfo info{key, 0, {}, modifiedMs(path, ec)};
    info.size = pieces.empty() ? content.size() : fs::file_size(path, ec);
    auto md5 = pieces.empty() ? std::optional<std::string>(common::md5Hex(content))
                              : common::fileMd5Hex(path);
    info.eTag = md5 ? std::move(*md5) : std::string();
    return info;
}

Result<void> FolderObjects::remove(const std::string &key) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    std::error_code ec;
    const auto status = fs::symlink_status(*path, ec);
    // A folder is removed by its marker key ("reports/") only once it is empty, as S3 would
    // leave the objects under it.
    if (fs::is_directory(status) && key.back() != '/')
        return {};
    fs::remove(*path, ec);
    if (ec && ec != std::errc::directory_not_empty && ec != std::errc::no_such_file_or_directory &&
        ec != std::errc::not_a_directory)
        return diskError("the object " + key + " cannot be deleted", ec);
    return {};
}

Result<std::vector<ObjectInfo>> FolderObjects::list(const std::string &prefix) const
{
    std::vector<ObjectInfo> objects;
    std::error_code ec;
    // Only the folder the prefix names is walked ("reports/2026/q" walks reports/2026), never a
    // link: the whole folder's walk does not follow one either.
    fs::path start = m_folder;
    if (const auto slash = prefix.rfind('/'); slash != std::string::npos) {
        auto directory = pathOf(prefix.substr(0, slash + 1));
        if (!directory || !fs::is_directory(fs::symlink_status(*directory, ec)) ||
            fs::canonical(*directory, ec) != fs::canonical(m_folder, ec) / prefix.substr(0, slash))
            return objects; // no key can start so
        start = *directory;
    }
    for (fs::recursive_directory_iterator it(start, ec), end; !ec && it != end; it.increment(ec)) {
        if (partialUpload(it->path())) {
            it.disable_recursion_pending(); // an upload's parts
            continue;
        }
        if (!fs::is_regular_file(it->symlink_status(ec)))
            continue;
        std::string key = it->path().lexically_relative(m_folder).generic_string();
        if (!key.starts_with(prefix))
            continue;
        ObjectInfo info;
        info.size = it->file_size(ec);
        info.lastModifiedMs = modifiedMs(it->path(), ec);
        if (ec) { // gone while listed
            ec.clear();
            continue;
        }
        info.key = std::move(key);
        objects.push_back(std::move(info));
    }
    if (ec && objects.empty() && !fs::is_directory(m_folder))
        return diskError("the folder " + m_folder.string() + " cannot be read", ec);
    std::sort(objects.begin(), objects.end(),
              [](const ObjectInfo &a, const ObjectInfo &b) { return a.key < b.key; });
    return objects;
}

Result<std::string> FolderObjects::startUpload(const std::string &key) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    std::string id = common::newUuid();
    id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
    const fs::path dir = m_folder / (std::string(kPartialUploadPrefix) + id + ".parts");
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::ofstream(dir / "key", std::ios::binary) << key;
    if (ec || !fs::exists(dir / "key"))
        return diskError("the upload of " + key + " cannot be started", ec);
    return id;
}

Result<fs::path> FolderObjects::uploadDir(const std::string &uploadId, const std::string &key) const
{
    const auto noSuchUpload = makeError(
        ErrorCode::NotFound, "The specified upload does not exist. The upload ID may be invalid, "
                             "or the upload may have been aborted or completed.");
    if (uploadId.empty() || uploadId.size() > 64 ||
        !std::all_of(uploadId.begin(), uploadId.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        return noSuchUpload;
    const fs::path dir = m_folder / (std::string(kPartialUploadPrefix) + uploadId + ".parts");
    std::ifstream in(dir / "key", std::ios::binary);
    if (!in || std::string(std::istreambuf_iterator<char>(in), {}) != key)
        return noSuchUpload;
    return dir;
}

Result<std::string> FolderObjects::writePart(const std::string &uploadId, const std::string &key,
                                             int partNumber, std::string_view content) const
{
    if (partNumber < 1 || partNumber > 10000)
        return makeError(ErrorCode::InvalidParameter,
                         "Part number must be an integer between 1 and 10000, inclusive");
    auto dir = uploadDir(uploadId, key);
    if (!dir)
        return dir.error();
    const fs::path part = *dir / std::to_string(partNumber);
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out)
        return makeError(ErrorCode::ServiceError, "part " + std::to_string(partNumber) + " of " +
                                                      key + " cannot be written");
    return common::md5Hex(content);
}

Result<ObjectInfo> FolderObjects::completeUpload(const std::string &uploadId,
                                                 const std::string &key,
                                                 const std::vector<Part> &parts) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    auto dir = uploadDir(uploadId, key);
    if (!dir)
        return dir.error();
    if (parts.empty())
        return makeError(ErrorCode::InvalidParameter,
                         "MalformedXML: You must specify at least one part");
    std::vector<fs::path> pieces;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0 && parts[i].number <= parts[i - 1].number)
            return makeError(ErrorCode::InvalidParameter,
                             "InvalidPartOrder: The list of parts was not in ascending order. "
                             "Parts must be ordered by part number.");
        const fs::path piece = *dir / std::to_string(parts[i].number);
        std::string eTag = parts[i].eTag;
        eTag.erase(std::remove(eTag.begin(), eTag.end(), '"'), eTag.end());
        const auto md5 = common::fileMd5Hex(piece);
        if (!md5 || *md5 != eTag)
            return makeError(ErrorCode::InvalidParameter,
                             "InvalidPart: One or more of the specified parts could not be found. "
                             "The part may not have been uploaded, or the specified entity tag "
                             "may not match the part's entity tag.");
        pieces.push_back(piece);
    }
    auto landed = land(key, *path, {}, pieces);
    if (landed) {
        std::error_code ignored;
        fs::remove_all(*dir, ignored);
    }
    return landed;
}

Result<void> FolderObjects::abortUpload(const std::string &uploadId, const std::string &key) const
{
    auto dir = uploadDir(uploadId, key);
    if (!dir)
        return dir.error();
    std::error_code ec;
    fs::remove_all(*dir, ec);
    return {};
}

void FolderObjects::fillETag(ObjectInfo &object) const
{
    auto md5 = common::fileMd5Hex(m_folder / object.key);
    object.eTag = md5 ? std::move(*md5) : common::md5Hex({});
}

} // namespace lambdesk::engine::triggers
