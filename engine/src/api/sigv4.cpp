#include "api/sigv4.h"

#include "common/encoding.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace lambdesk::engine::api::sigv4 {
namespace {

std::string lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Header values are trimmed and inner runs of spaces collapse to one (the SigV4 rule).
std::string canonicalHeaderValue(const std::string &value)
{
    std::string out;
    bool space = false;
    for (const char c : trim(value)) {
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Percent-decoding only ('+' stays '+': the SDKs encode a space as %20).
std::string percentDecode(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// RFC 3986 remove_dot_segments, with empty segments dropped, as botocore normalizes the path.
std::string normalizePath(const std::string &path)
{
    if (path.empty())
        return "/";
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const std::string segment =
            path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (segment == "..") {
            if (!segments.empty())
                segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(segment);
        }
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    std::string out;
    for (const auto &segment : segments)
        out += "/" + segment;
    if (out.empty() || (path.back() == '/' && !segments.empty()))
        out += "/";
    return out;
}

std::string canonicalQuery(const std::string &query)
{
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t start = 0;
    while (start < query.size()) {
        auto amp = query.find('&', start);
        if (amp == std::string::npos)
            amp = query.size();
        const std::string pair = query.substr(start, amp - start);
        start = amp + 1;
        if (pair.empty())
            continue;
        const auto equals = pair.find('=');
        pairs.emplace_back(uriEncode(percentDecode(pair.substr(0, equals)), false),
                           equals == std::string::npos
                               ? std::string()
                               : uriEncode(percentDecode(pair.substr(equals + 1)), false));
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto &[key, value] : pairs)
        out += (out.empty() ? "" : "&") + key + "=" + value;
    return out;
}

std::string hmac(const std::string &key, const std::string &data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char *>(data.data()), data.size(), digest, &length);
    return std::string(reinterpret_cast<const char *>(digest), length);
}

std::vector<std::string> split(const std::string &text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        parts.push_back(
            text.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos)
            return parts;
        start = at + 1;
    }
}

bool isLowerHex(const std::string &text)
{
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

std::string uriEncode(const std::string &text, bool keepSlash)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        // Not isalnum: its answer depends on the locale.
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

ParsedAuthorization parseAuthorization(const std::string &value)
{
    const std::string prefix = std::string(kAlgorithm) + " ";
    if (value.rfind(prefix, 0) != 0)
        return {std::nullopt, "Authorization header is not an AWS Signature Version 4 header (" +
                                  std::string(kAlgorithm) +
                                  " Credential=..., SignedHeaders=..., "
                                  "Signature=...)"};
    std::map<std::string, std::string> parts;
    for (const std::string &part : split(value.substr(prefix.size()), ',')) {
        const std::string item = trim(part);
        const auto equals = item.find('=');
        if (equals != std::string::npos)
            parts[item.substr(0, equals)] = item.substr(equals + 1);
    }
    std::string problem;
    for (const char *name : {"Credential", "Signature", "SignedHeaders"})
        if (parts[name].empty())
            problem += std::string("Authorization header requires '") + name + "' parameter. ";
    if (!problem.empty())
        return {std::nullopt, problem + "Authorization=" + value};
    const auto credential = split(parts["Credential"], '/');
    if (credential.size() != 5 || credential[0].empty() || credential[1].size() != 8 ||
        credential[4] != "aws4_request")
        return {std::nullopt, "Credential should be scoped to a valid region and service, like "
                              "'ACCESSKEY/20261203/us-east-1/lambda/aws4_request', not '" +
                                  parts["Credential"] + "'."};
    const std::string &signatureHex = parts["Signature"];
    if (signatureHex.size() != 64 || !isLowerHex(signatureHex))
        return {std::nullopt,
                "Signature should be 64 lowercase hexadecimal digits. Authorization=" + value};
    AuthorizationHeader header{credential[0], credential[1],          credential[2],
                               credential[3], parts["SignedHeaders"], signatureHex};
    return {header, {}};
}

std::string canonicalRequest(const SignedRequest &request, const std::string &signedHeaders)
{
    const auto question = request.target.find('?');
    const std::string path = request.target.substr(0, question);
    const std::string query =
        question == std::string::npos ? std::string() : request.target.substr(question + 1);

    std::string headers;
    for (const std::string &name : split(signedHeaders, ';')) {
        std::string values;
        for (const auto &[key, value] : request.headers) {
            if (lowercase(key) != name)
                continue;
            // Appended piecewise: GCC 12's -Wrestrict misfires on `const char* + string&&`.
            if (!values.empty())
                values += ',';
            values += canonicalHeaderValue(value);
        }
        headers += name + ":" + values + "\n";
    }
    return request.method + "\n" + uriEncode(normalizePath(path), true) + "\n" +
           canonicalQuery(query) + "\n" + headers + "\n" + signedHeaders + "\n" +
           request.payloadHash;
}

std::string stringToSign(const std::string &amzDate, const std::string &scope,
                         const std::string &canonical)
{
    return std::string(kAlgorithm) + "\n" + amzDate + "\n" + scope + "\n" +
           common::hexEncode(common::sha256(canonical));
}

std::string signature(const std::string &secretAccessKey, const AuthorizationHeader &scope,
                      const std::string &toSign)
{
    const std::string dateKey = hmac("AWS4" + secretAccessKey, scope.date);
    const std::string regionKey = hmac(dateKey, scope.region);
    const std::string serviceKey = hmac(regionKey, scope.service);
    const std::string signingKey = hmac(serviceKey, "aws4_request");
    return common::hexEncode(hmac(signingKey, toSign));
}

std::optional<std::chrono::system_clock::time_point> parseAmzDate(const std::string &text)
{
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
        return std::nullopt;
    for (std::size_t i = 0; i < 15; ++i)
        if (i != 8 && !std::isdigit(static_cast<unsigned char>(text[i])))
            return std::nullopt;
    std::tm parts{};
    parts.tm_year = std::stoi(text.substr(0, 4)) - 1900;
    parts.tm_mon = std::stoi(text.substr(4, 2)) - 1;
    parts.tm_mday = std::stoi(text.substr(6, 2));
    parts.tm_hour = std::stoi(text.substr(9, 2));
    parts.tm_min = std::stoi(text.substr(11, 2));
    parts.tm_sec = std::stoi(text.substr(13, 2));
    if (parts.tm_mon > 11 || parts.tm_mday < 1 || parts.tm_mday > 31 || parts.tm_hour > 23 ||
        parts.tm_min > 59 || parts.tm_sec > 60)
        return std::nullopt;
    return std::chrono::system_clock::from_time_t(::timegm(&parts));
}

std::string formatAmzDate(std::chrono::system_clock::time_point time)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    char text[17];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
    return text;
}

bool constantTimeEquals(const std::string &a, const std::string &b)
{
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace lambdesk::engine::api::sigv4
