#include "store/ziparchive.h"

#include "store/storeutil.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <memory>

namespace lambdesk::engine::detail {

namespace {

struct ArchiveDeleter {
    void operator()(zip_t *archive) const noexcept { zip_discard(archive); }
};
struct SourceDeleter {
    void operator()(zip_source_t *source) const noexcept { zip_source_free(source); }
};
struct EntryDeleter {
    void operator()(zip_file_t *file) const noexcept { zip_fclose(file); }
};
using ArchivePtr = std::unique_ptr<zip_t, ArchiveDeleter>;
using SourcePtr = std::unique_ptr<zip_source_t, SourceDeleter>;
using EntryPtr = std::unique_ptr<zip_file_t, EntryDeleter>;

Error unzipError(const std::string &detail = {})
{
    return makeError(ErrorCode::InvalidParameter,
                     detail.empty() ? std::string(kCouldNotUnzip)
                                    : std::string(kCouldNotUnzip) + " " + detail);
}

Error tooLarge(std::uint64_t maxBytes)
{
    return makeError(ErrorCode::InvalidParameter,
                     "Unzipped size must be smaller than " + std::to_string(maxBytes) + " bytes");
}

struct EntryPlan {
    zip_uint64_t index = 0;
    std::string path;
    enum class Kind { Directory, File, Executable, Symlink } kind = Kind::File;
};

Result<std::vector<EntryPlan>> planEntries(zip_t *archive, std::uint64_t maxBytes)
{
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    if (count < 0)
        return unzipError();
    std::vector<EntryPlan> plan;
    std::uint64_t declared = 0;
    for (zip_uint64_t index = 0; index < static_cast<zip_uint64_t>(count); ++index) {
        zip_stat_t stat;
        zip_stat_init(&stat);
        if (zip_stat_index(archive, index, 0, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME))
            return unzipError();
        const std::string name = stat.name;
        if (stat.valid & ZIP_STAT_SIZE)
            declared += stat.size;
        if (declared > maxBytes)
            return tooLarge(maxBytes);

        zip_uint8_t system = 0;
        zip_uint32_t attributes = 0;
        if (zip_file_get_external_attributes(archive, index, 0, &system, &attributes) != 0)
            return unzipError();
        const mode_t mode = system == ZIP_OPSYS_UNIX ? static_cast<mode_t>(attributes >> 16) : 0;

        EntryPlan entry;
        entry.index = index;
        const bool directory = (!name.empty() && name.back() == '/') || (S_ISDIR(mode) && !S_ISLNK(mode));
        if (directory)
            entry.kind = EntryPlan::Kind::Directory;
        else if (S_ISLNK(mode))
            entry.kind = EntryPlan::Kind::Symlink;
        else if (mode & 0111)
            entry.kind = EntryPlan::Kind::Executable;

        auto path = normaliseRelativePath(name);
        if (!path) {
            // "./" and similar directory entries name the root itself: nothing to create.
            if (entry.kind == EntryPlan::Kind::Directory && !name.starts_with('/')
                && name.find("..") == std::string::npos) {
                continue;
            }
            return unzipError(path.error().message);
        }
        entry.path = std::move(*path);
        plan.push_back(std::move(entry));
    }
    return plan;
}

// Copies one entry's bytes, counting them against the archive-wide budget.
Result<void> copyEntry(zip_t *archive, const EntryPlan &entry, TreeWriter &writer,
                       std::uint64_t &total, std::uint64_t maxBytes, std::string *captured)
{
    EntryPtr file(zip_fopen_index(archive, entry.index, 0));
    if (!file)
        return unzipError("Entry '" + entry.path + "': " + zip_strerror(archive));
    std::array<char, std::size_t{64} * 1024> buffer;
    for (;;) {
        const zip_int64_t read = zip_fread(file.get(), buffer.data(), buffer.size());
        if (read < 0)
            return unzipError("Entry '" + entry.path + "': " + zip_file_strerror(file.get()));
        if (read == 0)
            break;
        total += static_cast<std::uint64_t>(read);
        if (total > maxBytes)
            return tooLarge(maxBytes);
        const std::string_view chunk(buffer.data(), static_cast<std::size_t>(read));
        if (captured) {
            if (captured->size() + chunk.size() > 4096)
                return unzipError("Entry '" + entry.path + "': symlink target too long");
            captured->append(chunk);
        } else {
            writer.write(chunk);
        }
    }
    return {};
}

} // namespace

Result<void> extractZip(std::string_view zipBytes, const std::filesystem::path &dest,
                        std::uint64_t maxBytes)
{
    if (zipBytes.empty())
        return unzipError();
    zip_error_t error;
    zip_error_init(&error);
    SourcePtr source(zip_source_buffer_create(zipBytes.data(), zipBytes.size(), 0, &error));
    if (!source) {
        zip_error_fini(&error);
        throw StoreFailure("libzip: cannot create a buffer source");
    }
    ArchivePtr archive(zip_open_from_source(source.get(), ZIP_RDONLY | ZIP_CHECKCONS, &error));
    zip_error_fini(&error);
    if (!archive)
        return unzipError();
    (void)source.release(); // the archive owns it now

    auto plan = planEntries(archive.get(), maxBytes);
    if (!plan)
        return plan.error();

    TreeWriter writer(dest);
    std::uint64_t total = 0;
    for (const EntryPlan &entry : *plan) {
        using Kind = EntryPlan::Kind;
        if (entry.kind == Kind::Directory) {
            if (auto made = writer.addDirectory(entry.path); !made)
                return unzipError(made.error().message);
            continue;
        }
        if (entry.kind == Kind::Symlink) {
            std::string target;
            if (auto copied = copyEntry(archive.get(), entry, writer, total, maxBytes, &target);
                !copied) {
                return copied;
            }
            if (auto added = writer.addSymlink(entry.path, target); !added)
                return unzipError(added.error().message);
            continue;
        }
        if (auto begun = writer.beginFile(entry.path, entry.kind == Kind::Executable); !begun)
            return unzipError(begun.error().message);
        auto copied = copyEntry(archive.get(), entry, writer, total, maxBytes, nullptr);
        writer.endFile();
        if (!copied)
            return copied;
    }
    if (auto finished = writer.finish(); !finished)
        return unzipError(finished.error().message);
    return {};
}

namespace {

// Timestamps are fixed so that the same files always zip to the same bytes. libzip converts
// through localtime, so build the instant in local time too.
std::time_t fixedZipTime()
{
    std::tm local{};
    local.tm_year = 2000 - 1900;
    local.tm_mon = 0;
    local.tm_mday = 1;
    local.tm_isdst = -1;
    return std::mktime(&local);
}

std::string readAll(zip_source_t *source)
{
    if (zip_source_open(source) != 0)
        throw StoreFailure("libzip: cannot reopen the written archive");
    std::string bytes;
    std::array<char, std::size_t{64} * 1024> buffer;
    for (;;) {
        const zip_int64_t read = zip_source_read(source, buffer.data(), buffer.size());
        if (read < 0) {
            zip_source_close(source);
            throw StoreFailure("libzip: cannot read the written archive");
        }
        if (read == 0)
            break;
        bytes.append(buffer.data(), static_cast<std::size_t>(read));
    }
    zip_source_close(source);
    return bytes;
}

} // namespace

std::string buildZip(std::vector<TreeEntry> entries)
{
    std::sort(entries.begin(), entries.end(),
              [](const TreeEntry &a, const TreeEntry &b) { return a.path < b.path; });
    if (entries.empty()) {
        // libzip writes nothing at all for an archive without entries; this is the valid empty
        // zip (an end-of-central-directory record alone).
        return std::string("PK\x05\x06", 4) + std::string(18, '\0');
    }
    zip_error_t error;
    zip_error_init(&error);
    SourcePtr output(zip_source_buffer_create(nullptr, 0, 0, &error));
    if (!output)
        throw StoreFailure("libzip: cannot create an output buffer");
    ArchivePtr archive(zip_open_from_source(output.get(), ZIP_TRUNCATE, &error));
    zip_error_fini(&error);
    if (!archive)
        throw StoreFailure("libzip: cannot open an output archive");
    // The archive now holds `output`'s reference; take a second one so the written bytes survive
    // zip_close, which drops the archive's.
    zip_source_keep(output.get());

    const std::time_t mtime = fixedZipTime();
    for (const TreeEntry &entry : entries) {
        SourcePtr data(zip_source_buffer(archive.get(), entry.content.data(), entry.content.size(), 0));
        if (!data)
            throw StoreFailure("libzip: " + std::string(zip_strerror(archive.get())));
        const zip_int64_t index =
            zip_file_add(archive.get(), entry.path.c_str(), data.get(), ZIP_FL_ENC_UTF_8);
        if (index < 0)
            throw StoreFailure("libzip: adding " + entry.path + ": " + zip_strerror(archive.get()));
        (void)data.release(); // the archive owns it now
        const auto at = static_cast<zip_uint64_t>(index);
        zip_uint32_t mode = S_IFREG | 0644;
        if (entry.kind == EntryKind::Executable)
            mode = S_IFREG | 0755;
        else if (entry.kind == EntryKind::Symlink)
            mode = S_IFLNK | 0777;
        if (zip_file_set_mtime(archive.get(), at, mtime, 0) != 0
            || zip_file_set_external_attributes(archive.get(), at, 0, ZIP_OPSYS_UNIX, mode << 16) != 0
            || zip_set_file_compression(archive.get(), at,
                                        entry.kind == EntryKind::Symlink ? ZIP_CM_STORE
                                                                         : ZIP_CM_DEFLATE,
                                        0)
                   != 0) {
            throw StoreFailure("libzip: " + std::string(zip_strerror(archive.get())));
        }
    }
    if (zip_close(archive.get()) != 0)
        throw StoreFailure("libzip: writing the archive: " + std::string(zip_strerror(archive.get())));
    (void)archive.release(); // zip_close freed it
    return readAll(output.get());
}

} // namespace lambdesk::engine::detail
