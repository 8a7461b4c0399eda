#include "api/requestauth.h"

#include "api/jsonprotocol.h"
#include "api/routes.h"
#include "api/sigv4.h"
#include "common/encoding.h"

namespace lambdesk::engine::api {
namespace {

// The service a client signs for: the JSON protocol services on this endpoint name theirs in
// X-Amz-Target; everything else is Lambda's.
std::string signingService(const httplib::Request &req)
{
    const std::string target = req.get_header_value("X-Amz-Target");
    if (target.starts_with("AWSEvents."))
        return "events";
    if (target.starts_with(kSqsTargetPrefix) || isQueryRequest(req))
        return "sqs";
    return "lambda";
}

constexpr auto kClockSkew = std::chrono::minutes(15);
constexpr const char *kUnsignedPayload = "UNSIGNED-PAYLOAD";

Error missingToken()
{
    return makeError(ErrorCode::MissingAuthenticationToken, "Missing Authentication Token");
}

Error invalidSignature(std::string message)
{
    return makeError(ErrorCode::InvalidSignature, std::move(message));
}

const char *kMismatch = "The request signature we calculated does not match the signature you "
                        "provided. Check your AWS Secret Access Key and signing method. Consult "
                        "the service documentation for details.";

} // namespace

RequestAuthenticator::RequestAuthenticator(ApiAccess access, Clock clock)
    : m_access(std::move(access)), m_clock(std::move(clock))
{
    m_guard.allowedOrigins = m_access.allowedOrigins;
}

void RequestAuthenticator::setListener(const std::string &host, int port)
{
    m_guard.listenHost = host;
    m_guard.port = port;
}

std::optional<Error> RequestAuthenticator::checkHeaders(const httplib::Request &req) const
{
    if (auto refusal = browserRequestRefusal(req, m_guard))
        return makeError(ErrorCode::AccessDenied, *refusal);
    return checkSignatureHeaders(req);
}

std::optional<Error> RequestAuthenticator::checkSignatureHeaders(const httplib::Request &req) const
{
    if (!req.has_header("Authorization"))
        return missingToken();
    const auto parsed = sigv4::parseAuthorization(req.get_header_value("Authorization"));
    if (!parsed.header)
        return makeError(ErrorCode::IncompleteSignature, parsed.problem);
    if (m_access.auth == ApiAuthMode::AnyKey)
        return std::nullopt;

    const auto &header = *parsed.header;
    if (!sigv4::constantTimeEquals(header.accessKeyId, m_access.credentials.accessKeyId))
        return makeError(ErrorCode::UnrecognizedClient,
                         "The security token included in the request is invalid.");
    const std::string amzDate = req.get_header_value("X-Amz-Date");
    if (amzDate.empty())
        return makeError(ErrorCode::IncompleteSignature,
                         "Authorization header requires existence of either a 'X-Amz-Date' or "
                         "a 'Date' header.");
    const auto signedAt = sigv4::parseAmzDate(amzDate);
    if (!signedAt)
        return makeError(
            ErrorCode::IncompleteSignature,
            "X-Amz-Date must be in the ISO8601 basic format YYYYMMDD'T'HHMMSS'Z', not '" + amzDate +
                "'.");
    const auto now = m_clock();
    if (*signedAt < now - kClockSkew)
        return invalidSignature("Signature expired: " + amzDate + " is now earlier than " +
                                sigv4::formatAmzDate(now - kClockSkew) + " (" +
                                sigv4::formatAmzDate(now) + " - 15 min.)");
    if (*signedAt > now + kClockSkew)
        return invalidSignature("Signature not yet current: " + amzDate + " is still later than " +
                                sigv4::formatAmzDate(now + kClockSkew) + " (" +
                                sigv4::formatAmzDate(now) + " + 15 min.)");
    if (header.date != amzDate.substr(0, 8))
        return invalidSignature("Credential should be scoped to a valid date: " + header.date +
                                " is not the date of X-Amz-Date " + amzDate + ".");
    const std::string service = signingService(req);
    if (header.service != service)
        return invalidSignature("Credential should be scoped to correct service: '" + service +
                                "'.");
    std::string signedHeaders(1, ';');
    signedHeaders.append(header.signedHeaders).push_back(';');
    if (signedHeaders.find(";host;") == std::string::npos)
        return invalidSignature(std::string("'Host' must be a signed header. ") + kMismatch);
    // X-Amz-Target picks the operation: unsigned, a captured request could be replayed as
    // another one (DescribeRule as DeleteRule). The SDKs and the CLI sign it.
    if (req.has_header("X-Amz-Target") && signedHeaders.find(";x-amz-target;") == std::string::npos)
        return invalidSignature(std::string("'X-Amz-Target' must be a signed header. ") +
                                kMismatch);
    return std::nullopt;
}

std::optional<Error> RequestAuthenticator::checkSignature(const httplib::Request &req) const
{
    if (m_access.auth == ApiAuthMode::AnyKey)
        return std::nullopt;
    const auto header = sigv4::parseAuthorization(req.get_header_value("Authorization")).header;
    if (!header) // checkHeaders refused it already; never reached
        return missingToken();

    sigv4::SignedRequest request;
    request.method = req.method;
    request.target = req.target;
    request.headers.assign(req.headers.begin(), req.headers.end());
    const std::string bodyHash = common::hexEncode(common::sha256(req.body));
    request.payloadHash = bodyHash;
    if (req.has_header("X-Amz-Content-Sha256")) {
        const std::string claimed = req.get_header_value("X-Amz-Content-Sha256");
        if (claimed != kUnsignedPayload && claimed != bodyHash)
            return invalidSignature("The provided 'x-amz-content-sha256' header does not match "
                                    "what was computed.");
        // A query request's body names its Action: unsigned, a captured request could be
        // replayed as another operation.
        if (claimed == kUnsignedPayload && isQueryRequest(req))
            return invalidSignature("The query protocol's body must be signed; "
                                    "UNSIGNED-PAYLOAD is not accepted.");
        request.payloadHash = claimed;
    }
    const std::string canonical = sigv4::canonicalRequest(request, header->signedHeaders);
    const std::string toSign =
        sigv4::stringToSign(req.get_header_value("X-Amz-Date"), header->scope(), canonical);
    const std::string expected =
        sigv4::signature(m_access.credentials.secretAccessKey, *header, toSign);
    if (!sigv4::constantTimeEquals(expected, header->signature))
        return invalidSignature(kMismatch);
    return std::nullopt;
}

} // namespace lambdesk::engine::api
