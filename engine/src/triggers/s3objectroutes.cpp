#include "triggers/s3objectroutes.h"

#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"
#include "common/xmlwriter.h"
#include "triggers/folderobjects.h"
#include "triggers/s3event.h"
#include "triggers/s3request.h"

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <optional>

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

S3Error objectError(const Error &error, const std::string &key, const char *notFound = "NoSuchKey")
{
    switch (error.code) {
    case ErrorCode::NotFound:
        return {404, notFound, error.message, "Key", key};
    case ErrorCode::InvalidParameter: {
        // "InvalidPart: ..." names its code (folderobjects.h).
        const auto separator = error.message.find(kS3CodeSeparator);
        const std::string code = error.message.substr(0, separator);
        if (separator != std::string::npos && !code.empty() &&
            std::all_of(code.begin(), code.end(),
                        [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
            return {400, code, error.message.substr(separator + kS3CodeSeparator.size()), "Key",
                    key};
        return {400, key.size() > kMaxObjectKeyBytes ? "KeyTooLongError" : "InvalidArgument",
                error.message, "Key", key};
    }
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

// What encoding-type=url asks of every key in a listing (botocore asks for it and decodes it):
// S3's form encoding, as in its event records.
std::string urlEncoded(const std::string &text, bool encode)
{
    return encode ? s3EventKey(text) : text;
}

S3Error notImplemented(const std::string &what)
{
    return {501, "NotImplemented",
            "A header or query you provided implies functionality that is not implemented for a "
            "folder bucket: " +
                what + ".",
            "", ""};
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
            xml.element("CreationDate", s3EventTime(ec ? 0 : ms));
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
        if (req.method != "GET" && req.method != "HEAD")
            return reply(res, notImplemented(req.method + " on a bucket"));
        if (auto other = unsupportedParameter(req, {"list-type", "prefix", "delimiter", "max-keys",
                                                    "marker", "start-after", "continuation-token",
                                                    "encoding-type", "fetch-owner"}))
            return reply(res, notImplemented("the ?" + *other + " subresource"));
        if (req.method == "HEAD") {
            res.status = 200;
            return;
        }
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
            return multipart(req, res, bucket, objects, key);
        // ?acl, ?tagging, ... name the object's sub-resources: never the object itself.
        if (auto other = unsupportedParameter(req, {"versionId"}))
            return reply(res, notImplemented("the ?" + *other + " subresource"));
        if (req.method == "GET" || req.method == "HEAD")
            return getObject(req, res, objects, key);
        if (req.method == "PUT") {
            if (req.has_header("x-amz-copy-source"))
                return copyObject(req, res, objects, key);
            const auto body = objectBody(req);
            if (!body)
                return reply(res, {400, "IncompleteBody",
                                   "The request body's aws-chunked framing is broken.", "", ""});
            auto written = objects.write(key, *body);
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
    // CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload.
    static void multipart(const httplib::Request &req, httplib::Response &res,
                          const std::string &bucket, const FolderObjects &objects,
                          const std::string &key)
    {
        res.set_header("x-amz-request-id", common::newUuid());
        const std::string uploadId = req.get_param_value("uploadId");
        if (req.method == "POST" && req.has_param("uploads")) {
            auto started = objects.startUpload(key);
            if (!started)
                return reply(res, objectError(started.error(), key));
            common::XmlWriter xml;
            xml.open("InitiateMultipartUploadResult", kS3Namespace);
            xml.element("Bucket", bucket);
            xml.element("Key", key);
            xml.element("UploadId", *started);
            xml.close();
            return res.set_content(xml.text(), "application/xml");
        }
        if (req.method == "PUT" && req.has_param("partNumber")) {
            int number = 0;
            const std::string text = req.get_param_value("partNumber");
            std::from_chars(text.data(), text.data() + text.size(), number);
            const auto body = objectBody(req);
            if (!body)
                return reply(res, {400, "IncompleteBody",
                                   "The request body's aws-chunked framing is broken.", "", ""});
            auto part = objects.writePart(uploadId, key, number, *body);
            if (!part)
                return reply(res, objectError(part.error(), key, "NoSuchUpload"));
            res.set_header("ETag", quotedETag(*part));
            return;
        }
        if (req.method == "POST") {
            auto parts = completedParts(req.body);
            if (!parts)
                return reply(res, {400, "MalformedXML",
                                   "The XML you provided was not well-formed or did not "
                                   "validate against our published schema",
                                   "", ""});
            auto landed = objects.completeUpload(uploadId, key, *parts);
            if (!landed)
                return reply(res, objectError(landed.error(), key, "NoSuchUpload"));
            common::XmlWriter xml;
            xml.open("CompleteMultipartUploadResult", kS3Namespace);
            xml.element("Location", "/" + bucket + "/" + key);
            xml.element("Bucket", bucket);
            xml.element("Key", key);
            xml.element("ETag", quotedETag(landed->eTag));
            xml.close();
            return res.set_content(xml.text(), "application/xml");
        }
        if (req.method == "DELETE") {
            if (auto aborted = objects.abortUpload(uploadId, key); !aborted)
                return reply(res, objectError(aborted.error(), key, "NoSuchUpload"));
            res.status = 204;
            return;
        }
        reply(res, {501, "NotImplemented",
                    "Listing an upload's parts is not available for a folder bucket.", "", ""});
    }

    // The object read once: its ETag is of the bytes sent. A Range gets its part (206), as S3
    // answers it.
    static void getObject(const httplib::Request &req, httplib::Response &res,
                          const FolderObjects &objects, const std::string &key)
    {
        auto info = objects.head(key, false);
        if (!info)
            return reply(res, objectError(info.error(), key));
        auto content = objects.read(key);
        if (!content)
            return reply(res, objectError(content.error(), key));
        const std::uint64_t size = content->size();
        const RangeAnswer range = objectRange(req.ranges, size);
        if (!range.satisfiable)
            return reply(res, {416, "InvalidRange", "The requested range is not satisfiable",
                               "ActualObjectSize", std::to_string(size)});
        res.set_header("ETag", quotedETag(common::md5Hex(*content)));
        res.set_header("Last-Modified", common::httpDate(info->lastModifiedMs));
        res.set_header("Accept-Ranges", "bytes");
        res.set_header("x-amz-request-id", common::newUuid());
        if (range.whole) {
            res.status = 200;
            res.set_content(*content, "binary/octet-stream");
            return;
        }
        res.status = 206;
        res.set_header("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                            std::to_string(range.range.last) + "/" +
                                            std::to_string(size));
        res.set_content(
            content->substr(range.range.first, range.range.last - range.range.first + 1),
            "binary/octet-stream");
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
        xml.element("LastModified", s3EventTime(written->lastModifiedMs));
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
            xml.element("LastModified", s3EventTime(object.lastModifiedMs));
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
    // Each answer closes its connection: the Runtime API's few worker threads each stay with a
    // kept-alive connection, and an SDK's idle pool of them must not leave the runtime none.
    // getObject answers a Range itself: httplib must not cut its answer (or an error document)
    // once more. The request is httplib's own object, not a const one.
    const auto answered = [](const httplib::Request &req, httplib::Response &res) {
        res.set_header("Connection", "close");
        const_cast<httplib::Request &>(req).ranges.clear();
    };
    server.Get(service, [routes, answered](const httplib::Request &req, httplib::Response &res) {
        routes->listBuckets(res);
        answered(req, res);
    });
    const auto onBucket = [routes, answered](const httplib::Request &req, httplib::Response &res) {
        routes->bucket(req, res, req.matches[1]);
        answered(req, res);
    };
    const auto onObject = [routes, answered](const httplib::Request &req, httplib::Response &res) {
        routes->object(req, res, req.matches[1], req.matches[2]);
        answered(req, res);
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
