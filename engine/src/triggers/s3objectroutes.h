#pragma once
// S3's object API (REST, path-style) over folder buckets, for the functions of one execution
// environment: GetObject, HeadObject, PutObject (and CopyObject), DeleteObject, ListObjects(V2),
// multipart uploads, HeadBucket and ListBuckets, as boto3 and the AWS SDKs call them with
// AWS_ENDPOINT_URL_S3 pointing here. The caller is the environment's own sandbox, so requests are
// not signed-checked: as Lambda's execution role would, it lets the function reach every registered
// bucket.

#include "lambdesk/engine/foldertrigger.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace httplib {
class Server;
}

namespace lambdesk::engine::triggers {

class BucketDirectory {
public:
    virtual ~BucketDirectory() = default;
    virtual std::optional<std::filesystem::path> folderOf(const std::string &bucket) = 0;
    virtual std::vector<FolderBucket> buckets() = 0;
};

// Serves the API under `pathPrefix` ("/s3": the endpoint is http://host:port/s3).
void addS3ObjectRoutes(httplib::Server &server, const std::string &pathPrefix,
                       BucketDirectory &directory);

} // namespace lambdesk::engine::triggers
