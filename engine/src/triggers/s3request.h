#pragma once
// Reading an S3 REST request as S3 does, apart from answering it (s3objectroutes.cpp): which query
// parameters an operation takes, the body an SDK may frame in aws-chunked encoding, the one byte
// range GetObject honours, and CompleteMultipartUpload's list of parts.

#include "triggers/folderobjects.h"

#include <httplib.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambdesk::engine::triggers {

// The first query parameter the operation does not take (S3 would act on a sub-resource such as
// ?acl or ?tagging that a folder has no place for); response-* overrides and x-id always pass.
std::optional<std::string> unsupportedParameter(const httplib::Request &req,
                                                std::initializer_list<std::string_view> taken);

// The object's bytes: the body itself, or, sent as aws-chunked (the Java and JavaScript SDKs'
// streaming uploads), its chunks joined without their signatures and trailers. nullopt when the
// framing is broken.
std::optional<std::string> objectBody(const httplib::Request &req);

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0; // inclusive
};
struct RangeAnswer {
    bool whole = true;       // no range, or one S3 ignores (several, or malformed)
    bool satisfiable = true; // false: InvalidRange (416)
    ByteRange range;
};
// GetObject's Range, as httplib parsed it, for an object of `size` bytes.
RangeAnswer objectRange(const httplib::Ranges &ranges, std::uint64_t size);

// CompleteMultipartUpload's <Part><PartNumber/><ETag/></Part>..., in the order given; nullopt
// when a part lacks either.
std::optional<std::vector<FolderObjects::Part>> completedParts(const std::string &xml);

} // namespace lambdesk::engine::triggers
