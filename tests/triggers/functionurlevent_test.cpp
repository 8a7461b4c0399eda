#include "triggers/functionurlevent.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace lambdesk::engine::triggers {
namespace {

using nlohmann::json;

UrlRequest request(std::string method, HeaderList headers = {}, std::string body = {})
{
    UrlRequest out;
    out.method = std::move(method);
    out.rawPath.push_back('/'); // not = "/": GCC 12's false -Wrestrict (PR 105651)
    out.headers = std::move(headers);
    out.body = std::move(body);
    out.sourceIp = "127.0.0.1";
    return out;
}

json eventOf(const UrlRequest &req, std::optional<IamCaller> caller = {})
{
    UrlEventContext context;
    context.accountId = "000000000000";
    context.urlId = "abc";
    context.timeEpochMs = 1765051438390; // 2025-12-06T20:03:58.390Z
    context.caller = std::move(caller);
    return json::parse(urlEvent(req, context));
}

std::string header(const UrlResponse &response, const std::string &name)
{
    return headerValue(response.headers, name);
}

TEST(FunctionUrlEvent, TextBodiesStayTextAndEverythingElseIsBase64)
{
    for (const char *type :
         {"text/plain", "text/csv; charset=utf-8", "application/json", "Application/JSON",
          "application/xml", "application/javascript", "application/vnd.api+json", "image/svg+xml"})
        EXPECT_TRUE(isTextContentType(type)) << type;
    for (const char *type : {"", "application/octet-stream", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", "image/png"})
        EXPECT_FALSE(isTextContentType(type)) << type;

    const json binary = eventOf(request("POST", {}, std::string("\0\xff", 2)));
    EXPECT_TRUE(binary["isBase64Encoded"]);
    EXPECT_EQ(binary["body"], "AP8=");
    const json empty = eventOf(request("GET"));
    EXPECT_FALSE(empty["isBase64Encoded"]);
    EXPECT_FALSE(empty.contains("body"));
}

TEST(FunctionUrlEvent, CookiesLeaveTheHeadersAndRepeatsJoinWithCommas)
{
    const json event = eventOf(request("GET", {{"Cookie", "a=1;b=2"},
                                               {"cookie", " c=3 ; "},
                                               {"Accept", "text/html"},
                                               {"ACCEPT", "application/json"},
                                               {"Connection", "keep-alive"}}));
    EXPECT_EQ(event["cookies"], json({"a=1", "b=2", "c=3"}));
    EXPECT_EQ(event["headers"]["accept"], "text/html,application/json");
    EXPECT_FALSE(event["headers"].contains("cookie"));
    EXPECT_FALSE(event["headers"].contains("connection"));
}

TEST(FunctionUrlEvent, TheCallerAppearsOnlyForAwsIam)
{
    const json anonymous = eventOf(request("GET"));
    EXPECT_EQ(anonymous["requestContext"]["accountId"], "anonymous");
    EXPECT_FALSE(anonymous["requestContext"].contains("authorizer"));
    EXPECT_EQ(anonymous["requestContext"]["time"], "06/Dec/2025:20:03:58 +0000");

    const json signedIn = eventOf(request("GET"), IamCaller{"AKID", "000000000000"});
    EXPECT_EQ(signedIn["requestContext"]["accountId"], "000000000000");
    EXPECT_EQ(signedIn["requestContext"]["authorizer"]["iam"]["accessKey"], "AKID");
    EXPECT_EQ(signedIn["requestContext"]["authorizer"]["iam"]["userArn"],
              "arn:aws:iam::000000000000:root");
}

TEST(FunctionUrlResponse, AResultWithoutStatusCodeIsA200JsonBody)
{
    const UrlResponse object = urlResponseFor(R"({"b": [1, 2], "a": null})");
    EXPECT_EQ(object.status, 200);
    EXPECT_EQ(object.body, R"({"a":null,"b":[1,2]})");
    EXPECT_EQ(header(object, "content-type"), "application/json");
    EXPECT_EQ(urlResponseFor(R"("hi")").body, R"("hi")");
    EXPECT_EQ(urlResponseFor("null").body, "null");
    EXPECT_EQ(urlResponseFor("[1]").body, "[1]");
}

TEST(FunctionUrlResponse, StatusCodeHeadersCookiesAndBodies)
{
    const UrlResponse full = urlResponseFor(
        R"({"statusCode": "418", "headers": {"X-N": 5, "content-type": "text/plain"},
            "cookies": ["a=1", "b=2"], "body": {"k": "v"}})");
    EXPECT_EQ(full.status, 418);
    EXPECT_EQ(header(full, "X-N"), "5");
    EXPECT_EQ(header(full, "Content-Type"), "text/plain");
    EXPECT_EQ(full.body, R"({"k":"v"})");
    int cookies = 0;
    for (const auto &[name, value] : full.headers)
        cookies += name == "Set-Cookie";
    EXPECT_EQ(cookies, 2);

    const UrlResponse decoded =
        urlResponseFor(R"({"statusCode": 200, "body": "AP8=", "isBase64Encoded": true})");
    EXPECT_EQ(decoded.body, std::string("\0\xff", 2));
    EXPECT_EQ(urlResponseFor(R"({"statusCode": 204})").body, "");
    EXPECT_EQ(urlResponseFor(R"({"statusCode": 201.0})").status, 201);
}

TEST(FunctionUrlResponse, AMalformedResultIsABadGateway)
{
    for (const char *payload : {"not json", R"({"statusCode": "abc"})", R"({"statusCode": 99})",
                                R"({"statusCode": 600})", R"({"statusCode": true})",
                                R"({"statusCode": 200, "body": "%%", "isBase64Encoded": true})",
                                R"({"statusCode": 200, "body": "AP8=", "isBase64Encoded": "true"})",
                                R"({"statusCode": 200.5})",
                                R"({"statusCode": 200, "headers": {"X-A": "1
Set-Cookie: x=1"}})",
                                R"({"statusCode": 200, "headers": {"Bad Name": "1"}})",
                                R"({"statusCode": 200, "cookies": ["a=1
b"]})"}) {
        const UrlResponse response = urlResponseFor(payload);
        EXPECT_EQ(response.status, 502) << payload;
        EXPECT_EQ(response.body, "Internal Server Error") << payload;
    }
}

TEST(FunctionUrlCorsTest, PreflightsAnswerAllowedOriginsOnly)
{
    FunctionUrlCors cors;
    cors.allowOrigins = {"https://a.example"};
    cors.allowMethods = {"GET", "POST"};
    cors.allowHeaders = {"X-Token", "Content-Type"};
    cors.allowCredentials = true;
    const auto preflight = [&](const char *origin) {
        return preflightResponse(
            cors,
            request("OPTIONS", {{"Origin", origin}, {"Access-Control-Request-Method", "GET"}}));
    };
    EXPECT_TRUE(isPreflight(
        request("OPTIONS", {{"Origin", "x"}, {"Access-Control-Request-Method", "GET"}})));
    EXPECT_FALSE(isPreflight(request("OPTIONS", {{"Origin", "x"}})));
    const UrlResponse allowed = preflight("https://a.example");
    EXPECT_EQ(header(allowed, "Access-Control-Allow-Origin"), "https://a.example");
    EXPECT_EQ(header(allowed, "Access-Control-Allow-Methods"), "GET,POST");
    EXPECT_EQ(header(allowed, "Access-Control-Allow-Headers"), "x-token,content-type");
    EXPECT_EQ(header(allowed, "Access-Control-Allow-Credentials"), "true");
    EXPECT_EQ(header(allowed, "Access-Control-Max-Age"), "");
    EXPECT_EQ(header(preflight("https://b.example"), "Access-Control-Allow-Origin"), "");

    cors.allowOrigins = {"*"};
    EXPECT_EQ(header(preflight("https://b.example"), "Access-Control-Allow-Origin"),
              "https://b.example");
}

TEST(FunctionUrlCorsTest, TheConfigReplacesTheFunctionsOwnCorsHeaders)
{
    FunctionUrlCors cors;
    cors.allowOrigins = {"https://a.example"};
    UrlResponse response{200, {{"access-control-allow-origin", "*"}, {"X-Other", "1"}}, "ok"};
    applyCors(cors, request("GET", {{"Origin", "https://evil.example"}}), response);
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "");
    EXPECT_EQ(header(response, "X-Other"), "1");
    applyCors(cors, request("GET", {{"Origin", "https://a.example"}}), response);
    EXPECT_EQ(header(response, "Access-Control-Allow-Origin"), "https://a.example");
}

} // namespace
} // namespace lambdesk::engine::triggers
