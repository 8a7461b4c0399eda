#include "triggers/s3request.h"

#include <algorithm>
#include <charconv>
#include <regex>

namespace lambdesk::engine::triggers {

std::optional<std::string> unsupportedParameter(const httplib::Request &req,
                                                std::initializer_list<std::string_view> taken)
{
    for (const auto &[name, value] : req.params) {
        if (name == "x-id" || name.starts_with("response-"))
            continue;
        if (std::find(taken.begin(), taken.end(), name) == taken.end())
            return name;
    }
    return std::nullopt;
}

std::optional<std::string> objectBody(const httplib::Request &req)
{
    const bool chunked =
        req.get_header_value("Content-Encoding").find("aws-chunked") != std::string::npos ||
        req.get_header_value("x-amz-content-sha256").starts_with("STREAMING-");
    if (!chunked)
        return req.body;
    // <hex size>[;chunk-signature=...]\r\n<bytes>\r\n ... 0[;...]\r\n[trailers]\r\n
    std::string body;
    std::size_t at = 0;
    for (;;) {
        const std::size_t lineEnd = req.body.find("\r\n", at);
        if (lineEnd == std::string::npos)
            return std::nullopt;
        std::uint64_t size = 0;
        const char *begin = req.body.data() + at;
        const auto [end, ec] = std::from_chars(begin, req.body.data() + lineEnd, size, 16);
        if (ec != std::errc() || end == begin || (*end != ';' && end != req.body.data() + lineEnd))
            return std::nullopt;
        at = lineEnd + 2;
        if (size == 0)
            break; // trailers (checksums) follow: the transport already checked the bytes
        if (size > req.body.size() - at || req.body.compare(at + size, 2, "\r\n") != 0)
            return std::nullopt;
        body.append(req.body, at, size);
        at += size + 2;
    }
    const std::string declared = req.get_header_value("x-amz-decoded-content-length");
    if (!declared.empty() && declared != std::to_string(body.size()))
        return std::nullopt;
    return body;
}

RangeAnswer objectRange(const httplib::Ranges &ranges, std::uint64_t size)
{
    RangeAnswer answer;
    if (ranges.size() != 1)
        return answer;
    const auto [first, last] = ranges.front();
    answer.whole = false;
    if (first < 0) { // "bytes=-N": the last N
        if (last <= 0) {
            answer.satisfiable = false;
            return answer;
        }
        const auto length = std::min<std::uint64_t>(static_cast<std::uint64_t>(last), size);
        if (length == 0) {
            answer.satisfiable = false;
            return answer;
        }
        answer.range = {size - length, size - 1};
        return answer;
    }
    if (static_cast<std::uint64_t>(first) >= size) {
        answer.satisfiable = false;
        return answer;
    }
    const std::uint64_t end =
        last < 0 ? size - 1 : std::min<std::uint64_t>(static_cast<std::uint64_t>(last), size - 1);
    answer.range = {static_cast<std::uint64_t>(first), end};
    return answer;
}

std::optional<std::vector<FolderObjects::Part>> completedParts(const std::string &xml)
{
    static const std::regex kPart(R"(<Part>([\s\S]*?)</Part>)");
    static const std::regex kNumber(R"(<PartNumber>\s*([0-9]{1,5})\s*</PartNumber>)");
    static const std::regex kETag(R"(<ETag>\s*([^<]*?)\s*</ETag>)");
    std::vector<FolderObjects::Part> parts;
    for (std::sregex_iterator it(xml.begin(), xml.end(), kPart), end; it != end; ++it) {
        const std::string part = (*it)[1];
        std::smatch number;
        std::smatch eTag;
        if (!std::regex_search(part, number, kNumber) || !std::regex_search(part, eTag, kETag))
            return std::nullopt;
        std::string tag = eTag[1];
        // The SDKs escape the quotes around an ETag.
        for (std::size_t at; (at = tag.find("&quot;")) != std::string::npos;)
            tag.replace(at, 6, 1, '"');
        parts.push_back({std::stoi(number[1]), tag});
    }
    return parts;
}

} // namespace lambdesk::engine::triggers
