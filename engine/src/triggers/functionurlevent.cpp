// Payload format 2.0 as Lambda builds it for a function URL, and the response inference rules
// (docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html).
#include "triggers/functionurlevent.h"

#include "common/clock.h"

#include "common/encoding.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <string_view>

namespace lambdesk::engine::triggers {

namespace {

using nlohmann::json;

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trimmed(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "06/Dec/2026:19:03:58 +0000", requestContext.time.
std::string clfTime(std::int64_t epochMs)
{
    return common::utcText(epochMs, "%d/%b/%Y:%H:%M:%S +0000");
}

// Lower-cased names, repeats joined with commas, Cookie headers taken out into `cookies`; the
// headers Lambda's front end adds, and none of the hop-by-hop ones.
json eventHeaders(const UrlRequest &request, const UrlEventContext &context, json &cookies)
{
    std::map<std::string, std::string> joined;
    for (const auto &[name, value] : request.headers) {
        const std::string key = lower(name);
        if (key == "connection" || key == "keep-alive" || key == "transfer-encoding")
            continue;
        if (key == "cookie") {
            std::size_t start = 0;
            while (start <= value.size()) {
                const auto end = std::min(value.find(';', start), value.size());
                if (auto cookie = trimmed(value.substr(start, end - start)); !cookie.empty())
                    cookies.push_back(std::move(cookie));
                start = end + 1;
            }
            continue;
        }
        auto [it, inserted] = joined.try_emplace(key, value);
        if (!inserted)
            it->second += "," + value;
    }
    joined["x-forwarded-for"] = request.sourceIp;
    joined["x-forwarded-proto"] = "http";
    joined["x-forwarded-port"] = std::to_string(context.listenerPort);
    joined["x-amzn-trace-id"] = context.traceId;
    return joined;
}

json queryParameters(const std::string &rawQueryString)
{
    httplib::Params params;
    httplib::detail::parse_query_text(rawQueryString, params);
    json joined = json::object();
    for (const auto &[key, value] : params) {
        if (joined.contains(key))
            joined[key] = joined[key].get<std::string>() + "," + value;
        else
            joined[key] = value;
    }
    return joined;
}

// RFC 9110's token: what a header name may be made of.
bool isToken(const std::string &name)
{
    static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || kSymbols.find(static_cast<char>(c)) != std::string_view::npos;
    });
}

// No CR, LF or NUL: a function's header value must not start a header or a response of its own.
bool isSafeValue(const std::string &value)
{
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

// A result's (or prelude's) "headers" and "cookies" into `response`, with `defaultType` when no
// Content-Type is named; false when one would break the HTTP response (not a token, CR, LF, NUL).
bool readHeaders(const json &result, const char *defaultType, UrlResponse &response)
{
    bool contentType = false;
    if (const auto headers = result.find("headers");
        headers != result.end() && headers->is_object())
        for (const auto &[name, value] : headers->items()) {
            contentType = contentType || lower(name) == "content-type";
            response.headers.emplace_back(name, value.is_string() ? value.get<std::string>()
                                                                  : value.dump());
        }
    for (const auto &[name, value] : response.headers)
        if (!isToken(name) || !isSafeValue(value))
            return false;
    if (!contentType)
        response.headers.emplace_back("Content-Type", defaultType);
    if (const auto cookies = result.find("cookies"); cookies != result.end() && cookies->is_array())
        for (const auto &cookie : *cookies) {
            if (!cookie.is_string() || !isSafeValue(cookie.get<std::string>()))
                return false;
            response.headers.emplace_back("Set-Cookie", cookie.get<std::string>());
        }
    return true;
}

// statusCode as a result gives it: a whole number (or its digits) from 100 to 599; 0 otherwise.
int statusOf(const json &status)
{
    if (status.is_number()) {
        const double value = status.get<double>(); // 200.0 is as good as 200
        return value >= 100 && value <= 599 && value == static_cast<int>(value)
                   ? static_cast<int>(value)
                   : 0;
    }
    const std::string digits = status.is_string() ? status.get<std::string>() : std::string();
    if (!digits.empty() && digits.size() <= 3 &&
        std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
        return statusOf(json(std::stoi(digits)));
    return 0;
}

} // namespace

std::string headerValue(const HeaderList &headers, const std::string &name)
{
    const std::string wanted = lower(name);
    for (const auto &[key, value] : headers)
        if (lower(key) == wanted)
            return value;
    return {};
}

bool isTextContentType(const std::string &contentType)
{
    const std::string type = lower(trimmed(contentType.substr(0, contentType.find(';'))));
    return type.starts_with("text/") || type == "application/json" ||
           type == "application/javascript" || type == "application/xml" ||
           type.ends_with("+json") || type.ends_with("+xml");
}

std::string urlEvent(const UrlRequest &request, const UrlEventContext &context)
{
    json cookies = json::array();
    json headers = eventHeaders(request, context, cookies);
    json http{{"method", request.method},
              {"path", request.rawPath},
              {"protocol", "HTTP/1.1"},
              {"sourceIp", request.sourceIp},
              {"userAgent", headerValue(request.headers, "User-Agent")}};
    json requestContext{{"accountId", context.caller ? context.accountId : "anonymous"},
                        {"apiId", context.urlId},
                        {"domainName", context.domainName},
                        {"domainPrefix", context.urlId},
                        {"http", std::move(http)},
                        {"requestId", context.requestId},
                        {"routeKey", "$default"},
                        {"stage", "$default"},
                        {"time", clfTime(context.timeEpochMs)},
                        {"timeEpoch", context.timeEpochMs}};
    if (context.caller) {
        const std::string root = "arn:aws:iam::" + context.caller->accountId + ":root";
        requestContext["authorizer"] = {{"iam",
                                         {{"accessKey", context.caller->accessKey},
                                          {"accountId", context.caller->accountId},
                                          {"callerId", context.caller->accountId},
                                          {"cognitoIdentity", nullptr},
                                          {"principalOrgId", nullptr},
                                          {"userArn", root},
                                          {"userId", context.caller->accountId}}}};
    }
    json event{{"version", "2.0"},
               {"routeKey", "$default"},
               {"rawPath", request.rawPath},
               {"rawQueryString", request.rawQueryString}};
    if (!cookies.empty())
        event["cookies"] = std::move(cookies);
    event["headers"] = std::move(headers);
    if (!request.rawQueryString.empty())
        event["queryStringParameters"] = queryParameters(request.rawQueryString);
    event["requestContext"] = std::move(requestContext);
    const bool text = isTextContentType(headerValue(request.headers, "Content-Type"));
    if (!request.body.empty())
        event["body"] = text ? request.body : common::base64Encode(request.body);
    event["isBase64Encoded"] = !request.body.empty() && !text;
    // Invalid UTF-8 in a text body must not make the event undeliverable.
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

UrlResponse functionErrorResponse()
{
    return {502, {{"Content-Type", "application/json"}}, "Internal Server Error"};
}

UrlResponse urlResponseFor(const std::string &payload)
{
    const json result = json::parse(payload, nullptr, false);
    if (result.is_discarded())
        return functionErrorResponse();
    UrlResponse response;
    if (!result.is_object() || !result.contains("statusCode")) {
        response.headers.emplace_back("Content-Type", "application/json");
        response.body = result.dump(-1, ' ', false, json::error_handler_t::replace);
        return response;
    }
    response.status = statusOf(result["statusCode"]);
    if (response.status == 0)
        return functionErrorResponse();
    if (!readHeaders(result, "application/json", response))
        return functionErrorResponse();
    if (const auto body = result.find("body"); body != result.end() && !body->is_null())
        response.body = body->is_string() ? body->get<std::string>() : body->dump();
    const auto encoded = result.find("isBase64Encoded");
    if (encoded != result.end() && !encoded->is_boolean() && !encoded->is_null())
        return functionErrorResponse();
    if (encoded != result.end() && encoded->is_boolean() && encoded->get<bool>()) {
        auto decoded = common::base64Decode(response.body);
        if (!decoded)
            return functionErrorResponse();
        response.body = std::move(*decoded);
    }
    return response;
}

std::optional<UrlResponse> streamedHead(const std::string &contentType,
                                        const std::optional<std::string> &metadata)
{
    UrlResponse head;
    if (!metadata) {
        head.headers.emplace_back("Content-Type", contentType);
        return head;
    }
    const json prelude = json::parse(*metadata, nullptr, false);
    if (!prelude.is_object())
        return std::nullopt;
    head.status = prelude.contains("statusCode") ? statusOf(prelude["statusCode"]) : 200;
    if (head.status == 0 || !readHeaders(prelude, "application/octet-stream", head))
        return std::nullopt;
    return head;
}

bool isPreflight(const UrlRequest &request)
{
    return request.method == "OPTIONS" && !headerValue(request.headers, "Origin").empty() &&
           !headerValue(request.headers, "Access-Control-Request-Method").empty();
}

namespace {

bool originAllowed(const FunctionUrlCors &cors, const std::string &origin)
{
    return !origin.empty() && std::any_of(cors.allowOrigins.begin(), cors.allowOrigins.end(),
                                          [&](const std::string &allowed) {
                                              return allowed == "*" || allowed == origin;
                                          });
}

std::string joined(const std::vector<std::string> &items, bool lowerCase)
{
    std::string text;
    for (const auto &item : items)
        text += (text.empty() ? "" : ",") + (lowerCase ? lower(item) : item);
    return text;
}

void removeHeader(HeaderList &headers, const std::string &name)
{
    const std::string wanted = lower(name);
    std::erase_if(headers, [&](const auto &header) { return lower(header.first) == wanted; });
}

} // namespace

UrlResponse preflightResponse(const FunctionUrlCors &cors, const UrlRequest &request)
{
    UrlResponse response{200, {{"Content-Type", "application/json"}, {"Vary", "Origin"}}, {}};
    const std::string origin = headerValue(request.headers, "Origin");
    if (!originAllowed(cors, origin))
        return response; // no Access-Control-Allow-Origin: the browser stops here
    response.headers.emplace_back("Access-Control-Allow-Origin", origin);
    if (!cors.allowMethods.empty())
        response.headers.emplace_back("Access-Control-Allow-Methods",
                                      joined(cors.allowMethods, false));
    if (!cors.allowHeaders.empty())
        response.headers.emplace_back("Access-Control-Allow-Headers",
                                      joined(cors.allowHeaders, true));
    if (cors.allowCredentials)
        response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
    if (cors.maxAge)
        response.headers.emplace_back("Access-Control-Max-Age", std::to_string(*cors.maxAge));
    return response;
}

void applyCors(const FunctionUrlCors &cors, const UrlRequest &request, UrlResponse &response)
{
    for (const char *name : {"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
                             "Access-Control-Expose-Headers"})
        removeHeader(response.headers, name);
    const std::string origin = headerValue(request.headers, "Origin");
    response.headers.emplace_back("Vary", "Origin");
    if (!originAllowed(cors, origin))
        return;
    response.headers.emplace_back("Access-Control-Allow-Origin", origin);
    if (cors.allowCredentials)
        response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
    if (!cors.exposeHeaders.empty())
        response.headers.emplace_back("Access-Control-Expose-Headers",
                                      joined(cors.exposeHeaders, true));
}

} // namespace lambdesk::engine::triggers
