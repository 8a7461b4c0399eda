// Our Node.js bootstrap inside each sandbox backend, driven through a stub Runtime API.

#include "sandboxfixture.h"

namespace lambdesk::test {
namespace {

using NodeRuntime = SandboxTest;

TEST_P(NodeRuntime, ReturnsAnAsyncHandlerResultWithContext)
{
    m_code.write("index.js", R"(console.log('loading');
exports.handler = async (event, context) => {
  console.log('event', event.key);
  return { event, requestId: context.awsRequestId, function: context.functionName,
           memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis(),
           arn: context.invokedFunctionArn, trace: process.env._X_AMZN_TRACE_ID,
           waits: context.callbackWaitsForEmptyEventLoop, cwd: process.cwd() };
};
)");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "index.handler");
    const auto post = invoke("req-1", R"({"key": "value"})");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "response");
    const auto body = parse(post->body);
    ASSERT_TRUE(body.is_object()) << post->body;
    EXPECT_EQ(body["event"]["key"], "value");
    EXPECT_EQ(body["requestId"], "req-1");
    EXPECT_EQ(body["function"], "test");
    EXPECT_EQ(body["memory"], "256");
    EXPECT_GT(body["remaining"].get<int>(), 20000);
    EXPECT_EQ(body["arn"], "arn:aws:lambda:us-east-1:000000000000:function:test");
    EXPECT_EQ(body["trace"], "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    EXPECT_EQ(body["waits"], true);
    EXPECT_EQ(body["cwd"], "/var/task");
    const std::string output = drainOutput(*sandbox);
    // 2026-11-25T15:39:06.123Z\tundefined\tINFO\tloading (init has no request id, as in Lambda)
    EXPECT_NE(output.find("Z\tundefined\tINFO\tloading\n"), std::string::npos) << output;
    EXPECT_NE(output.find("Z\treq-1\tINFO\tevent value\n"), std::string::npos) << output;
}

TEST_P(NodeRuntime, AnswersACallbackOnceTheEventLoopIsEmpty)
{
    m_code.write("index.js", R"(exports.handler = (event, context, callback) => {
  setTimeout(() => { console.log('timer fired'); }, 30);
  callback(null, { n: event.n + 1 });
};
)");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "index.handler");
    const auto post = invoke("req-cb", R"({"n": 41})");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "response");
    EXPECT_EQ(post->body, R"({"n":42})");
    EXPECT_NE(drainOutput(*sandbox).find("timer fired"), std::string::npos);
}

TEST_P(NodeRuntime, ReportsErrorsFromPromisesAndCallbacks)
{
    m_code.write("index.js", R"(exports.rejects = async () => { throw new TypeError('bad input'); };
)");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "index.rejects");
    const auto post = invoke("req-err", "{}");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "error");
    EXPECT_EQ(post->errorType, "TypeError");
    const auto body = parse(post->body);
    EXPECT_EQ(body["errorType"], "TypeError");
    EXPECT_EQ(body["errorMessage"], "bad input");
    ASSERT_TRUE(body["trace"].is_array()); // Node's runtime calls it "trace", not "stackTrace"
    EXPECT_EQ(body["trace"][0], "TypeError: bad input");
    EXPECT_NE(drainOutput(*sandbox).find("\tERROR\tInvoke Error "), std::string::npos);
    EXPECT_TRUE(sandbox->isRunning());
}

TEST_P(NodeRuntime, ReportsACallbackError)
{
    m_code.write("index.js", "exports.handler = (event, context, callback) => callback('plain string');\n");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "index.handler");
    const auto post = invoke("req-cb-err", "{}");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->kind, "error");
    EXPECT_EQ(parse(post->body)["errorType"], "string");
    EXPECT_EQ(parse(post->body)["errorMessage"], "plain string");
}

TEST_P(NodeRuntime, LoadsAnEsModule)
{
    m_code.write("src/app.mjs", "export const handler = async (event) => ({ esm: true, got: event.x });\n");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "src/app.handler");
    const auto post = invoke("req-esm", R"({"x": 5})");
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->body, R"({"esm":true,"got":5})");
}

TEST_P(NodeRuntime, ReportsAMissingModuleAsInitErrorAndExits)
{
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "app.handler");
    const auto post = m_api.waitForPost();
    ASSERT_TRUE(post) << drainOutput(*sandbox);
    EXPECT_EQ(post->kind, "init-error");
    EXPECT_EQ(post->errorType, "Runtime.ImportModuleError");
    EXPECT_EQ(parse(post->body)["errorMessage"].get<std::string>().rfind("Error: Cannot find module 'app'", 0), 0u)
        << post->body;
    ASSERT_TRUE(waitForExit(*sandbox));
    // 129, as AWS's Node runtime exits after an uncaught error. The process backend's launcher
    // reports a signal N as 128 + N, so there it cannot be told from SIGHUP.
    const std::string exit = sandbox->exitDescription();
    EXPECT_TRUE(exit == "exit status 129" || exit == "signal: hangup") << exit;
}

TEST_P(NodeRuntime, ReportsAMissingHandler)
{
    m_code.write("index.js", "exports.other = async () => 1;\n");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "index.handler");
    const auto post = m_api.waitForPost();
    ASSERT_TRUE(post);
    EXPECT_EQ(post->errorType, "Runtime.HandlerNotFound");
    EXPECT_EQ(parse(post->body)["errorMessage"], "index.handler is undefined or not exported");
}

TEST_P(NodeRuntime, StaysWarmAcrossManyInvocations)
{
    m_code.write("index.js", "let n = 0;\nexports.handler = async () => ++n;\n");
    LAMBDESK_START_OR_SKIP(sandbox, "nodejs", "index.handler");
    for (int i = 1; i <= 8; ++i) {
        const auto post = invoke("req-" + std::to_string(i), "{}");
        ASSERT_TRUE(post) << "invocation " << i << ": " << drainOutput(*sandbox);
        EXPECT_EQ(post->body, std::to_string(i));
    }
}

LAMBDESK_SANDBOX_BACKENDS(NodeRuntime);

} // namespace
} // namespace lambdesk::test
