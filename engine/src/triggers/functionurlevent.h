#pragma once
// A function URL's translation, both ways: an HTTP request becomes the payload format 2.0 event
// Lambda sends, and the function's result becomes the HTTP response by Lambda's inference rules.
// Pure functions of their inputs (no sockets, no clock), so each rule is tested on its own.

#include "lambdesk/engine/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambdesk::engine::triggers {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// An HTTP request as it reached the URL, after the URL's own prefix (plain form) is taken off.
struct UrlRequest {
    std::string method;
    std::string rawPath;        // still percent-encoded, "/" at least
    std::string rawQueryString; // without "?"
    HeaderList headers;         // as received: any case, repeats, in order
    std::string body;
    std::string sourceIp;
};

// The SigV4 caller of an AWS_IAM URL (requestContext.authorizer.iam).
struct IamCaller {
    std::string accessKey;
    std::string accountId;
};

struct UrlEventContext {
    std::string accountId;
    std::string urlId;
    std::string domainName; // "<url-id>.lambda-url.localhost"
    std::string requestId;
    std::string traceId; // "Root=1-...": the x-amzn-trace-id header the function sees
    std::int64_t timeEpochMs = 0;
    int listenerPort = 0; // x-forwarded-port
    std::optional<IamCaller> caller;
};

// The event's JSON text.
std::string urlEvent(const UrlRequest &request, const UrlEventContext &context);

// Whether a body of this Content-Type reaches the function as text; any other is base64.
bool isTextContentType(const std::string &contentType);

struct UrlResponse {
    int status = 200;
    HeaderList headers; // names as the function gave them; Set-Cookie repeated
    std::string body;
};

// A successful invocation's payload as the HTTP response (AWS's inference rules); a payload that
// is not JSON, or a malformed statusCode, is a 502 as a misbehaving integration is.
UrlResponse urlResponseFor(const std::string &payload);
// What a caller sees when the function failed (error, timeout, crash).
UrlResponse functionErrorResponse();

// A streamed response's head: with `metadata` (an HttpResponseStream prelude:
// {"statusCode", "headers", "cookies"}) as it says, Content-Type application/octet-stream unless
// it names one; without, a 200 of `contentType`. nullopt for a prelude that is not such JSON.
inline constexpr const char *kPreludeContentType =
    "application/vnd.awslambda.http-integration-response";
inline constexpr std::size_t kPreludeDelimiterLength = 8; // NUL bytes after the metadata
std::optional<UrlResponse> streamedHead(const std::string &contentType,
                                        const std::optional<std::string> &metadata);

// CORS, from the URL's configuration. A preflight (OPTIONS with Origin and
// Access-Control-Request-Method) is answered here without invoking the function.
bool isPreflight(const UrlRequest &request);
UrlResponse preflightResponse(const FunctionUrlCors &cors, const UrlRequest &request);
// The Access-Control-* headers an actual response carries for this request's Origin; they replace
// any the function set itself.
void applyCors(const FunctionUrlCors &cors, const UrlRequest &request, UrlResponse &response);

// The first value of a header, any case; "" when absent.
std::string headerValue(const HeaderList &headers, const std::string &name);

} // namespace lambdesk::engine::triggers
