// Invoke over HTTP: the three invocation types, the X-Amz-* request and response headers, the
// payload checks (JSON, 6 MB / 256 KB quotas) and qualifiers.

#include "apitestsupport.h"

namespace lambdesk::engine::testing {
namespace {

using InvokeRoutes = ApiTest;

TEST_F(InvokeRoutes, RequestResponseReturnsThePayloadAndHeaders)
{
    createOrFail("echo");
    auto res = invoke("echo", R"({"hello": "world"})");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json out = parseBody(res);
    EXPECT_EQ(out["echo"]["hello"], "world") << res->body;
    EXPECT_EQ(res->get_header_value("X-Amz-Executed-Version"), "$LATEST");
    EXPECT_FALSE(res->has_header("X-Amz-Function-Error"));
    EXPECT_FALSE(res->has_header("X-Amz-Log-Result"));
    // The response's request id is the invocation's own.
    EXPECT_EQ(res->get_header_value("x-amzn-RequestId"), out.value("requestId", "")) << res->body;
    EXPECT_TRUE(isUuid(out.value("requestId", "")));
}

TEST_F(InvokeRoutes, EmptyPayloadIsAnEmptyEvent)
{
    createOrFail("empty");
    auto res = invoke("empty", "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(InvokeRoutes, TailLogReturnsTheLogEndInBase64)
{
    createOrFail("tail");
    auto res = invoke("tail", "{}", {{"X-Amz-Log-Type", "Tail"}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    ASSERT_TRUE(res->has_header("X-Amz-Log-Result"));
    const std::string log = unbase64(res->get_header_value("X-Amz-Log-Result"));
    EXPECT_LE(log.size(), 4096u);
    EXPECT_NE(log.find("hello from handler"), std::string::npos) << log;
    EXPECT_NE(log.find("REPORT RequestId: " + res->get_header_value("x-amzn-RequestId")),
              std::string::npos)
        << log;
}

TEST_F(InvokeRoutes, FunctionErrorIsA200WithTheErrorHeader)
{
    createOrFail("failing");
    auto res = invoke("failing", R"({"fail": true})");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("X-Amz-Function-Error"), "Unhandled");
    const json error = parseBody(res);
    EXPECT_EQ(error.value("errorType", ""), "ValueError") << res->body;
    EXPECT_EQ(error.value("errorMessage", ""), "boom") << res->body;
    EXPECT_FALSE(res->has_header("x-amzn-ErrorType"));
}

TEST_F(InvokeRoutes, EventAnswers202AndDryRun204)
{
    createOrFail("async");
    auto event = invoke("async", "{}", {{"X-Amz-Invocation-Type", "Event"}});
    ASSERT_TRUE(event);
    EXPECT_EQ(event->status, 202) << event->body;
    EXPECT_TRUE(event->body.empty()) << event->body;
    EXPECT_TRUE(isUuid(event->get_header_value("x-amzn-RequestId")));

    auto dryRun = invoke("async", "{}", {{"X-Amz-Invocation-Type", "DryRun"}});
    ASSERT_TRUE(dryRun);
    EXPECT_EQ(dryRun->status, 204) << dryRun->body;

    expectLambdaError(invoke("async", "{}", {{"X-Amz-Invocation-Type", "Sometimes"}}), 400,
                      "ValidationException");
    expectLambdaError(invoke("async", "{}", {{"X-Amz-Log-Type", "Everything"}}), 400,
                      "ValidationException");
}

TEST_F(InvokeRoutes, MalformedPayloadIsInvalidRequestContent)
{
    createOrFail("strict");
    auto res = invoke("strict", "{not json");
    expectLambdaError(res, 400, "InvalidRequestContentException");
    EXPECT_NE(res->body.find("Could not parse request body into json"), std::string::npos)
        << res->body;
}

TEST_F(InvokeRoutes, PayloadQuotasAnswer413)
{
    createOrFail("quota");
    const std::string sync = "\"" + std::string(6291456, 'x') + "\""; // 6 MB + 2 bytes
    auto tooBig = invoke("quota", sync);
    expectLambdaError(tooBig, 413, "RequestTooLargeException");
    EXPECT_NE(tooBig->body.find("6291456"), std::string::npos) << tooBig->body;

    const std::string async = "\"" + std::string(300 * 1024, 'x') + "\"";
    expectLambdaError(invoke("quota", async, {{"X-Amz-Invocation-Type", "Event"}}), 413,
                      "RequestTooLargeException");
    // Under the synchronous quota the same payload is fine.
    auto fits = invoke("quota", async);
    ASSERT_TRUE(fits);
    EXPECT_EQ(fits->status, 200) << fits->body.substr(0, 200);
}

TEST_F(InvokeRoutes, ContentTypeDoesNotMatter)
{
    // curl sends application/x-www-form-urlencoded by default; Lambda reads the body as JSON.
    createOrFail("curl");
    const std::string payload = R"({"data": ")" + std::string(100 * 1024, 'x') + R"("})";
    auto res = m_client->Post(std::string(kFunctionsUri) + "/curl/invocations", payload,
                              "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
    EXPECT_EQ(parseBody(res)["echo"]["data"].get<std::string>().size(), 100u * 1024);
    auto noType = m_client->Post(std::string(kFunctionsUri) + "/curl/invocations", "{}", "");
    ASSERT_TRUE(noType);
    EXPECT_EQ(noType->status, 200) << noType->body;
}

TEST_F(InvokeRoutes, ClientContextMustBeBase64Json)
{
    createOrFail("context");
    auto good = invoke("context", "{}", {{"X-Amz-Client-Context", base64(R"({"custom":{"a":1}})")}});
    ASSERT_TRUE(good);
    EXPECT_EQ(good->status, 200) << good->body;
    expectLambdaError(invoke("context", "{}", {{"X-Amz-Client-Context", "%%%"}}), 400,
                      "InvalidRequestContentException");
}

TEST_F(InvokeRoutes, QualifierSelectsThePublishedVersion)
{
    createOrFail("qualified", {{"Publish", true}});
    auto byQuery = invoke("qualified", "{}", {}, "?Qualifier=1");
    ASSERT_TRUE(byQuery);
    ASSERT_EQ(byQuery->status, 200) << byQuery->body;
    EXPECT_EQ(byQuery->get_header_value("X-Amz-Executed-Version"), "1");
    EXPECT_EQ(parseBody(byQuery)["version"], "1");

    auto byName = invoke("qualified%3A1", "{}");
    ASSERT_TRUE(byName);
    ASSERT_EQ(byName->status, 200) << byName->body;
    EXPECT_EQ(byName->get_header_value("X-Amz-Executed-Version"), "1");

    expectLambdaError(invoke("qualified%3A1", "{}", {}, "?Qualifier=2"), 400,
                      "InvalidParameterValueException");
    expectLambdaError(invoke("qualified", "{}", {}, "?Qualifier=7"), 404,
                      "ResourceNotFoundException");
}

} // namespace
} // namespace lambdesk::engine::testing
