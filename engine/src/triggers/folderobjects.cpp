#include "triggers/folderobjects.h"

#include "common/encoding.h"
#include "common/random.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;

namespace lambdesk::engine::triggers {
namespace {

constexpr std::size_t kMaxKeyBytes = 1024;

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

bool partialUpload(const fs::path &path)
{
    return path.filename().string().starts_with(kPartialUploadPrefix);
}

} // namespace

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
    if (key.size() > kMaxKeyBytes)
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
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(m_folder, ec);
    const fs::path path = fs::weakly_canonical(m_folder / key, ec);
    if (ec)
        return diskError("the folder cannot be read", ec);
    const auto [rootEnd, pathIt] =
        std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    if (rootEnd != root.end())
        return refuse("it leads out of the folder.");
    return m_folder / key;
}

Result<ObjectInfo> FolderObjects::head(const std::string &key) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    std::error_code ec;
    if (key.back() == '/' || !fs::is_regular_file(*path, ec))
        return noSuchKey();
    ObjectInfo info;
    info.key = key;
    info.size = fs::file_size(*path, ec);
    info.lastModifiedMs = modifiedMs(*path, ec);
    auto md5 = common::fileMd5Hex(*path);
    if (ec || !md5)
        return noSuchKey(); // deleted under us
    info.eTag = std::move(*md5);
    return info;
}

Result<std::string> FolderObjects::read(const std::string &key) const
{
    auto path = pathOf(key);
    if (!path)
        return path.error();
    std::error_code ec;
    if (key.back() == '/' || !fs::is_regular_file(*path, ec))
        return noSuchKey();
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
    fs::create_directories(path->parent_path(), ec);
    if (ec)
        return diskError("the folder for " + key + " cannot be made", ec);
    if (fs::is_directory(*path, ec))
        return makeError(ErrorCode::InvalidParameter,
                         "The key '" + key + "' is a folder here; an object cannot replace it.");
    const fs::path partial =
        path->parent_path() / (std::string(kPartialUploadPrefix) + common::newUuid());
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        if (!out) {
            fs::remove(partial, ec);
            return makeError(ErrorCode::ServiceError, "the object " + key + " cannot be written");
        }
    }
    fs::rename(partial, *path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        return diskError("the object " + key + " cannot be written", ec);
    }
    ObjectInfo info{key, content.size(), common::md5Hex(content), 0};
    info.lastModifiedMs = modifiedMs(*path, ec);
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
    if (ec && ec != std::errc::directory_not_empty && ec != std::errc::no_such_file_or_directory)
        return diskError("the object " + key + " cannot be deleted", ec);
    return {};
}

Result<std::vector<ObjectInfo>> FolderObjects::list(const std::string &prefix) const
{
    std::vector<ObjectInfo> objects;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(m_folder, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (partialUpload(it->path()) || !fs::is_regular_file(it->symlink_status(ec)))
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

void FolderObjects::fillETag(ObjectInfo &object) const
{
    auto md5 = common::fileMd5Hex(m_folder / object.key);
    object.eTag = md5 ? std::move(*md5) : common::md5Hex({});
}

} // namespace lambdesk::engine::triggers
