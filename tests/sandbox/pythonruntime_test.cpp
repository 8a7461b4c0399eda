// Our Python bootstrap inside each sandbox backend, driven through a stub Runtime API.

#include "sandboxfixture.h"

namespace lambdesk::test {
namespace {

using PythonRuntime = SandboxTest;

TEST_P(PythonRuntime, ReturnsTheHandlerResultWithContext)
{
    m_code.write("app.py", R"(import os
def handler(event, context):
    print("hello from python")
    return {"event": event, "requestId": context.aws_request_id, "function": context.function_name,
            "memory": context.memory_limit_in_mb, "remaining": context.get_remaining_time_in_millis(),
            "arn": context.invoked_function_arn, "trace": os.environ.get("_X_AMZN_TRACE_ID"),
            "group": context.log_group_name, "cwd": os.getcwd(), "uid": os.getuid(), "text": "h\u00e9"}
)");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = invoke("req-1", R"({"key": "value", "n": [1, 2.5, null]})");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "response");
    EXPECT_EQ(post->requestId, "req-1");
    const auto body = parse(post->body);
    ASSERT_TRUE(body.is_object()) << post->body;
    EXPECT_EQ(body["event"]["key"], "value");
    EXPECT_EQ(body["event"]["n"][1], 2.5);
    EXPECT_EQ(body["requestId"], "req-1");
    EXPECT_EQ(body["function"], "test");
    EXPECT_EQ(body["memory"], "256");
    EXPECT_GT(body["remaining"].get<int>(), 20000);
    EXPECT_EQ(body["arn"], "arn:aws:lambda:us-east-1:000000000000:function:test");
    EXPECT_EQ(body["trace"], "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    EXPECT_EQ(body["group"], "/aws/lambda/test");
    EXPECT_EQ(body["cwd"], "/var/task");
    EXPECT_EQ(body["text"], "h\u00e9");
    // Printed before the response was posted, so already readable now (the Sandbox contract).
    EXPECT_NE(drainOutput(*sandbox).find("hello from python\n"), std::string::npos);
}

TEST_P(PythonRuntime, StaysWarmAcrossManyInvocations)
{
    // More invocations than cpp-httplib keeps one connection alive for: the bootstrap reconnects.
    m_code.write("src/counter.py", "count = 0\ndef handler(event, context):\n    global count\n"
                                   "    count += 1\n    return count\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "src/counter.handler");
    for (int i = 1; i <= 8; ++i) {
        const auto post = invoke("req-" + std::to_string(i), "{}");
        ASSERT_TRUE(post) << "invocation " << i << ": " << drainOutput(*sandbox);
        EXPECT_EQ(post->kind, "response");
        EXPECT_EQ(post->body, std::to_string(i));
    }
    EXPECT_TRUE(sandbox->isRunning());
}

TEST_P(PythonRuntime, ReportsAHandlerErrorAndKeepsRunning)
{
    m_code.write("app.py", "def handler(event, context):\n    raise ValueError('boom')\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = invoke("req-err", "{}");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "error");
    EXPECT_EQ(post->errorType, "ValueError");
    const auto body = parse(post->body);
    EXPECT_EQ(body["errorMessage"], "boom");
    EXPECT_EQ(body["errorType"], "ValueError");
    ASSERT_TRUE(body["stackTrace"].is_array());
    ASSERT_FALSE(body["stackTrace"].empty());
    EXPECT_NE(body["stackTrace"][0].get<std::string>().find("/var/task/app.py"), std::string::npos);
    EXPECT_NE(drainOutput(*sandbox).find("[ERROR] ValueError: boom"), std::string::npos);

    const auto again = invoke("req-after", "{}");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->kind, "error");
    EXPECT_TRUE(sandbox->isRunning());
}

TEST_P(PythonRuntime, ReportsAMissingModuleAsInitErrorAndExits)
{
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = m_api.waitForPost();
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "init-error");
    EXPECT_EQ(post->errorType, "Runtime.ImportModuleError");
    EXPECT_EQ(parse(post->body)["errorMessage"], "Unable to import module 'app': No module named 'app'");
    ASSERT_TRUE(waitForExit(*sandbox));
    EXPECT_EQ(sandbox->exitDescription(), "exit status 1");
    EXPECT_FALSE(sandbox->exceededMemoryLimit());
}

TEST_P(PythonRuntime, ReportsAMissingHandler)
{
    m_code.write("app.py", "def other(event, context):\n    return 1\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = m_api.waitForPost();
    ASSERT_TRUE(post);
    EXPECT_EQ(post->kind, "init-error");
    EXPECT_EQ(post->errorType, "Runtime.HandlerNotFound");
    EXPECT_EQ(parse(post->body)["errorMessage"], "Handler 'handler' missing on module 'app'");
}

TEST_P(PythonRuntime, FormatsLoggingLikeLambda)
{
    m_code.write("app.py", R"(import logging
logger = logging.getLogger()
logger.setLevel(logging.INFO)
def handler(event, context):
    logger.info("handled %s", event["n"])
    return None
)");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = invoke("req-log", R"({"n": 7})");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->body, "null");
    const std::string output = drainOutput(*sandbox);
    const auto line = output.find("[INFO]\t");
    ASSERT_NE(line, std::string::npos) << output;
    // [INFO]\t2026-11-25T15:39:06.123Z\treq-log\thandled 7
    const std::string rest = output.substr(line + 7);
    ASSERT_GE(rest.size(), 25u);
    EXPECT_EQ(rest[4], '-');
    EXPECT_EQ(rest[10], 'T');
    EXPECT_EQ(rest[23], 'Z');
    EXPECT_EQ(rest.substr(24, 19), "\treq-log\thandled 7\n");
}

TEST_P(PythonRuntime, ReportsAnUnserializableResult)
{
    m_code.write("app.py", "def handler(event, context):\n    return {1, 2}\n");
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler");
    const auto post = invoke("req-set", "{}");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->errorType, "Runtime.MarshalError");
    EXPECT_EQ(parse(post->body)["errorMessage"], "Unable to marshal response: Object of type set is not JSON serializable");
}

LAMBDESK_SANDBOX_BACKENDS(PythonRuntime);

} // namespace
} // namespace lambdesk::test
