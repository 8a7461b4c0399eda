#include "triggers/s3objectroutes.h"

#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"
#include "common/xmlwriter.h"
#include "triggers/folderobjects.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>

namespace lambdesk::engine::triggers {
namespace {

constexpr const char *kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
constexpr int kDefaultMaxKeys = 1000;

struct S3Error {
    int status;
    std::string code;
    std::string message;
    std::string resourceTag; // "Key" or "BucketName": names what the error is about
    std::string resource;
};

void reply(httplib::Response &res, const S3Error &error)
{
    const std::string requestId = common::newUuid();
    res.status = error.status;
    res.set_header("x-amz-request-id", requestId);
    common::XmlWriter xml;
    xml.open("Error");
    xml.element("Code", error.code);
    xml.element("Message", error.message);
    if (!error.resourceTag.empty())
        xml.element(error.resourceTag, error.resource);
    xml.element("RequestId", requestId);
    xml.close();
    res.set_content(xml.text(), "application/xml");
}

S3Error objectError(const Error &error, const std::string &key)
{
    switch (error.code) {
    case ErrorCode::NotFound:
        return {404, "NoSuchKey", error.message, "Key", key};
    case ErrorCode::InvalidParameter:
        return {400, key.size() > 1024 ? "KeyTooLongError" : "InvalidArgument", error.message,
                "Key", key};
    default:
        return {500, "InternalError", error.message, "Key", key};
    }
}

S3Error noSuchBucket(const std::string &bucket)
{
    return {404, "NoSuchBucket", "The specified bucket does not exist", "BucketName", bucket};
}

std::string quotedETag(const std::string &md5)
{
    return "\"" + md5 + "\"";
}

std::string isoTime(std::int64_t epochMs)
{
    return common::utcText(epochMs, "%Y-%m-%dT%H:%M:%S.%LZ");
}

// What encoding-type=url asks of every key in a listing (botocore asks for it and decodes it).
std::string urlEncoded(const std::string &text, bool encode)
{
    if (!encode)
        return text;
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 15]);
        }
    }
    return out;
}

struct Listing {
    std::vector<ObjectInfo> contents;
    std::vector<std::string> commonPrefixes;
    bool truncated = false;
    std::string lastKey; // where the next page starts after
};

// S3's listing rules: keys after `after`, those with `delimiter` past the prefix rolled up into
// one common prefix each, at most maxKeys entries of either kind.
Listing listPage(std::vector<ObjectInfo> objects, const std::string &prefix,
                 const std::string &delimiter, const std::string &after, int maxKeys)
{
    Listing page;
    for (ObjectInfo &object : objects) {
        if (object.key <= after)
            continue;
        std::string rolledUp;
        if (!delimiter.empty()) {
            const auto at = object.key.find(delimiter, prefix.size());
            if (at != std::string::npos)
                rolledUp = object.key.substr(0, at + delimiter.size());
        }
        if (!rolledUp.empty() && !page.commonPrefixes.empty() &&
            page.commonPrefixes.back() == rolledUp)
            continue;
        if (static_cast<int>(page.contents.size() + page.commonPrefixes.size()) >= maxKeys) {
            page.truncated = true;
            break;
        }
        if (rolledUp.empty()) {
            page.lastKey = object.key;
            page.contents.push_back(std::move(object));
        } else {
            // The next page starts after every key under this prefix.
            page.lastKey = rolledUp + "\xF4\x8F\xBF\xBF";
            page.commonPrefixes.push_back(std::move(rolledUp));
        }
    }
    return page;
}

class Routes {
public:
    explicit Routes(BucketDirectory &directory) : m_directory(directory) {}

    void listBuckets(httplib::Response &res) const
    {
        common::XmlWriter xml;
        xml.open("ListAllMyBucketsResult", kS3Namespace);
        xml.open("Owner");
        xml.element("ID", "lambdesk");
        xml.element("DisplayName", "lambdesk");
        xml.close();
        xml.open("Buckets");
        for (const FolderBucket &bucket : m_directory.buckets()) {
            xml.open("Bucket");
            xml.element("Name", bucket.name);
            std::error_code ec;
            const auto written = std::filesystem::last_write_time(bucket.folder, ec);
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::file_clock::to_sys(written).time_since_epoch())
                                .count();
            xml.element("CreationDate", isoTime(ec ? 0 : ms));
            xml.close();
        }
        xml.close();
        xml.close();
        res.set_header("x-amz-request-id", common::newUuid());
        res.set_content(xml.text(), "application/xml");
    }

    void bucket(const httplib::Request &req, httplib::Response &res, const std::string &name) const
    {
        const auto folder = m_directory.folderOf(name);
        if (!folder)
            return reply(res, noSuchBucket(name));
        if (req.method == "HEAD") {
            res.status = 200;
            return;
        }
        if (req.method != "GET")
            return reply(res,
                         {501, "NotImplemented",
                          "This bucket operation is not available for a folder bucket.", "", ""});
        listObjects(req, res, name, FolderObjects(*folder));
    }

    void object(const httplib::Request &req, httplib::Response &res, const std::string &bucket,
                const std::string &key) const
    {
        const auto folder = m_directory.folderOf(bucket);
        if (!folder)
            return reply(res, noSuchBucket(bucket));
        const FolderObjects objects(*folder);
        if (req.has_param("uploads") || req.has_param("uploadId"))
            return reply(res, {501, "NotImplemented",
                               "Multipart uploads are not available for a folder bucket; "
                               "put the object whole.",
                               "", ""});
        if (req.method == "GET" || req.method == "HEAD")
            return getObject(res, objects, key);
        if (req.method == "PUT") {
            if (req.has_header("x-amz-copy-source"))
                return copyObject(req, res, objects, key);
            auto written = objects.write(key, req.body);
            if (!written)
                return reply(res, objectError(written.error(), key));
            res.set_header("ETag", quotedETag(written->eTag));
            res.set_header("x-amz-request-id", common::newUuid());
            res.status = 200;
            return;
        }
        if (req.method == "DELETE") {
            if (auto removed = objects.remove(key); !removed)
                return reply(res, objectError(removed.error(), key));
            res.status = 204;
            return;
        }
        reply(res, {405, "MethodNotAllowed",
                    "The specified method is not allowed against this resource.", "", ""});
    }

private:
    static void getObject(httplib::Response &res, const FolderObjects &objects,
                          const std::string &key)
    {
        auto info = objects.head(key);
        if (!info)
            return reply(res, objectError(info.error(), key));
        auto content = objects.read(key);
        if (!content)
            return reply(res, objectError(content.error(), key));
        res.set_header("ETag", quotedETag(info->eTag));
        res.set_header("Last-Modified",
                       common::utcText(info->lastModifiedMs, "%a, %d %b %Y %H:%M:%S GMT"));
        res.set_header("Accept-Ranges", "bytes");
        res.set_header("x-amz-request-id", common::newUuid());
        // No status set: httplib answers 206 with the part a Range header asks for, 200 else.
        res.set_content(std::move(*content), "binary/octet-stream");
    }

    void copyObject(const httplib::Request &req, httplib::Response &res,
                    const FolderObjects &objects, const std::string &key) const
    {
        // "/bucket/key" or "bucket/key", URL-encoded, maybe with "?versionId=".
        std::string source = req.get_header_value("x-amz-copy-source");
        source = httplib::detail::decode_url(source.substr(0, source.find('?')), false);
        if (source.starts_with('/'))
            source.erase(0, 1);
        const auto slash = source.find('/');
        if (slash == std::string::npos)
            return reply(res, {400, "InvalidArgument",
                               "Copy Source must mention the source bucket and key: "
                               "sourcebucket/sourcekey",
                               "", ""});
        const std::string sourceBucket = source.substr(0, slash);
        const std::string sourceKey = source.substr(slash + 1);
        const auto sourceFolder = m_directory.folderOf(sourceBucket);
        if (!sourceFolder)
            return reply(res, noSuchBucket(sourceBucket));
        auto content = FolderObjects(*sourceFolder).read(sourceKey);
        if (!content)
            return reply(res, objectError(content.error(), sourceKey));
        auto written = objects.write(key, *content);
        if (!written)
            return reply(res, objectError(written.error(), key));
        common::XmlWriter xml;
        xml.open("CopyObjectResult", kS3Namespace);
        xml.element("LastModified", isoTime(written->lastModifiedMs));
        xml.element("ETag", quotedETag(written->eTag));
        xml.close();
        res.set_header("x-amz-request-id", common::newUuid());
        res.set_content(xml.text(), "application/xml");
    }

    static void listObjects(const httplib::Request &req, httplib::Response &res,
                            const std::string &bucket, const FolderObjects &objects)
    {
        const bool v2 = req.get_param_value("list-type") == "2";
        const bool encode = req.get_param_value("encoding-type") == "url";
        const std::string prefix = req.get_param_value("prefix");
        const std::string delimiter = req.get_param_value("delimiter");
        int maxKeys = kDefaultMaxKeys;
        if (req.has_param("max-keys")) {
            const std::string text = req.get_param_value("max-keys");
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), maxKeys);
            if (ec != std::errc() || end != text.data() + text.size() || maxKeys < 0)
                return reply(res,
                             {400, "InvalidArgument",
                              "Provided max-keys not an integer or within integer range", "", ""});
            maxKeys = std::min(maxKeys, kDefaultMaxKeys);
        }
        std::string after;
        if (v2 && req.has_param("continuation-token")) {
            auto decoded = common::base64Decode(req.get_param_value("continuation-token"));
            if (!decoded)
                return reply(res, {400, "InvalidArgument",
                                   "The continuation token provided is incorrect", "", ""});
            after = std::move(*decoded);
        } else {
            after = req.get_param_value(v2 ? "start-after" : "marker");
        }
        auto all = objects.list(prefix);
        if (!all)
            return reply(res, {500, "InternalError", all.error().message, "", ""});
        Listing page = listPage(std::move(*all), prefix, delimiter, after, maxKeys);

        common::XmlWriter xml;
        xml.open("ListBucketResult", kS3Namespace);
        xml.element("Name", bucket);
        xml.element("Prefix", urlEncoded(prefix, encode));
        if (v2) {
            if (req.has_param("continuation-token"))
                xml.element("ContinuationToken", req.get_param_value("continuation-token"));
            if (req.has_param("start-after"))
                xml.element("StartAfter", urlEncoded(req.get_param_value("start-after"), encode));
            xml.element("KeyCount",
                        std::to_string(page.contents.size() + page.commonPrefixes.size()));
        } else {
            xml.element("Marker", urlEncoded(after, encode));
        }
        xml.element("MaxKeys", std::to_string(maxKeys));
        if (!delimiter.empty())
            xml.element("Delimiter", urlEncoded(delimiter, encode));
        if (encode)
            xml.element("EncodingType", "url");
        xml.element("IsTruncated", page.truncated ? "true" : "false");
        if (page.truncated && v2)
            xml.element("NextContinuationToken", common::base64Encode(page.lastKey));
        if (page.truncated && !v2 && !delimiter.empty())
            xml.element("NextMarker", urlEncoded(page.lastKey, encode));
        for (ObjectInfo &object : page.contents) {
            objects.fillETag(object);
            xml.open("Contents");
            xml.element("Key", urlEncoded(object.key, encode));
            xml.element("LastModified", isoTime(object.lastModifiedMs));
            xml.element("ETag", quotedETag(object.eTag));
            xml.element("Size", std::to_string(object.size));
            xml.element("StorageClass", "STANDARD");
            xml.close();
        }
        for (const std::string &common : page.commonPrefixes) {
            xml.open("CommonPrefixes");
            xml.element("Prefix", urlEncoded(common, encode));
            xml.close();
        }
        xml.close();
        res.set_header("x-amz-request-id", common::newUuid());
        res.set_content(xml.text(), "application/xml");
    }

    BucketDirectory &m_directory;
};

} // namespace

void addS3ObjectRoutes(httplib::Server &server, const std::string &pathPrefix,
                       BucketDirectory &directory)
{
    auto routes = std::make_shared<Routes>(directory);
    const std::string service = "^" + pathPrefix + "/?$";
    const std::string bucket = "^" + pathPrefix + "/([^/]+)/?$";
    const std::string object = "^" + pathPrefix + "/([^/]+)/(.+)$";
    server.Get(service, [routes](const httplib::Request &, httplib::Response &res) {
        routes->listBuckets(res);
    });
    const auto onBucket = [routes](const httplib::Request &req, httplib::Response &res) {
        routes->bucket(req, res, req.matches[1]);
    };
    const auto onObject = [routes](const httplib::Request &req, httplib::Response &res) {
        routes->object(req, res, req.matches[1], req.matches[2]);
    };
    server.Get(bucket, onBucket);
    server.Put(bucket, onBucket);
    server.Delete(bucket, onBucket);
    server.Post(bucket, onBucket);
    server.Get(object, onObject);
    server.Put(object, onObject);
    server.Delete(object, onObject);
    server.Post(object, onObject);
}

} // namespace lambdesk::engine::triggers
