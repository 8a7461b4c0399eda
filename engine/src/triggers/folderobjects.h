#pragma once
// A folder's files as a bucket's objects: an object key is a '/'-separated path under the folder.
// What S3's object API (s3objectroutes.h) does to a folder bucket happens here, to real files.
// A write lands whole: it goes to a hidden partial file first, then is renamed over the key, so
// a reader, a listing or the folder's watcher never sees half an object.

#include "lambdesk/engine/foldertrigger.h"
#include "lambdesk/engine/result.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace lambdesk::engine::triggers {

// Partial uploads are named so; the folder's watcher and listings pass them over.
inline constexpr std::string_view kPartialUploadPrefix = ".lambdesk-upload-";
// A partial file or an upload's parts: neither an object nor a change the watcher reports.
bool partialUpload(const std::filesystem::path &path);
// Between the S3 error code some messages start with and the message itself.
inline constexpr std::string_view kS3CodeSeparator = ": ";

struct ObjectInfo {
    std::string key;
    std::uint64_t size = 0;
    std::string eTag; // MD5 in hex, as S3 gives it for a single-part upload
    std::int64_t lastModifiedMs = 0;
};

class FolderObjects {
public:
    explicit FolderObjects(std::filesystem::path folder);

    // Errors: NotFound (no such key), InvalidParameter (a key no file can stand for: "..",
    // empty segments, a leading '/', longer than 1024 bytes), ServiceError (the disk's answer).
    // withETag false: the caller hashes the bytes it reads itself.
    Result<ObjectInfo> head(const std::string &key, bool withETag = true) const;
    Result<std::string> read(const std::string &key) const;
    // A key ending in '/' with no content is a folder ("Create folder" in the S3 console).
    Result<ObjectInfo> write(const std::string &key, std::string_view content) const;
    // Deleting a key that is not there succeeds, as in S3.
    Result<void> remove(const std::string &key) const;
    // Multipart uploads (boto3's upload_file above 8 MB): parts wait in a hidden folder of the
    // bucket's until Complete joins them into the key. NotFound: no such upload (NoSuchUpload).
    Result<std::string> startUpload(const std::string &key) const; // the upload id
    Result<std::string> writePart(const std::string &uploadId, const std::string &key,
                                  int partNumber, std::string_view content) const; // its MD5
    struct Part {
        int number = 0;
        std::string eTag; // as UploadPart answered it, quotes or not
    };
    // InvalidParameter whose message starts with S3's code and ": " (kS3CodeSeparator): a part
    // not uploaded or changed since (InvalidPart), parts out of order (InvalidPartOrder), none
    // (MalformedXML).
    Result<ObjectInfo> completeUpload(const std::string &uploadId, const std::string &key,
                                      const std::vector<Part> &parts) const;
    Result<void> abortUpload(const std::string &uploadId, const std::string &key) const;

    // Every object whose key starts with `prefix`, in key order (UTF-8 bytes, as S3 sorts),
    // without eTags: a listing hashes only the page it answers (fillETag).
    Result<std::vector<ObjectInfo>> list(const std::string &prefix) const;
    void fillETag(ObjectInfo &object) const;

private:
    Result<std::filesystem::path> pathOf(const std::string &key) const;
    Result<std::filesystem::path> objectFile(const std::string &key) const; // NotFound: none
    Result<std::filesystem::path> uploadDir(const std::string &uploadId,
                                            const std::string &key) const;
    // Writes `content` (or the files of `pieces`, joined) to a partial file, then renames it
    // over the key.
    Result<ObjectInfo> land(const std::string &key, const std::filesystem::path &path,
                            std::string_view content,
                            const std::vector<std::filesystem::path> &pieces = {}) const;

    std::filesystem::path m_folder;
};

} // namespace lambdesk::engine::triggers
