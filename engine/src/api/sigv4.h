#pragma once
// AWS Signature Version 4 as a server checks it: the Authorization header's parts, and the
// signature a request must carry (canonical request, string to sign, HMAC chain), computed from
// the request as it arrived on the wire. Pure functions; the policy (which key, what clock) is
// RequestAuthenticator's.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambdesk::engine::api::sigv4 {

inline constexpr const char *kAlgorithm = "AWS4-HMAC-SHA256";

struct AuthorizationHeader {
    std::string accessKeyId;
    std::string date; // YYYYMMDD of the credential scope
    std::string region;
    std::string service;
    std::string signedHeaders; // "host;x-amz-date", as sent
    std::string signature;     // 64 lowercase hex digits
    std::string scope() const { return date + "/" + region + "/" + service + "/aws4_request"; }
};

// The header parsed, or AWS's sentence for what is missing or malformed
// (IncompleteSignatureException).
struct ParsedAuthorization {
    std::optional<AuthorizationHeader> header;
    std::string problem;
};
ParsedAuthorization parseAuthorization(const std::string &value);

// What a signature covers, as the request arrived.
struct SignedRequest {
    std::string method;
    std::string target; // raw request-target: path and query, still percent-encoded
    std::vector<std::pair<std::string, std::string>> headers; // any case, any order, repeats
    std::string payloadHash; // hex SHA-256 of the body, or x-amz-content-sha256's value
};

std::string uriEncode(const std::string &text, bool keepSlash);
std::string canonicalRequest(const SignedRequest &request, const std::string &signedHeaders);
std::string stringToSign(const std::string &amzDate, const std::string &scope,
                         const std::string &canonicalRequest);
// Hex HMAC-SHA256 of stringToSign under the key derived from secret and the scope's parts.
std::string signature(const std::string &secretAccessKey, const AuthorizationHeader &scope,
                      const std::string &stringToSign);

// "20261203T070000Z" -> time point; nullopt when it is not of that form.
std::optional<std::chrono::system_clock::time_point> parseAmzDate(const std::string &text);
std::string formatAmzDate(std::chrono::system_clock::time_point time);

// Compares without leaking where the first difference is.
bool constantTimeEquals(const std::string &a, const std::string &b);

} // namespace lambdesk::engine::api::sigv4
