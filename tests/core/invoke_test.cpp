// One invocation at a time: results, errors, logs and records as Lambda reports them.

#include "enginefixture.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace lambdesk::engine;
using lambdesk::engine::testing::EngineFixture;

namespace {

const char *kEcho = R"(
import json
def handler(event, context):
    print("hello from", context.function_name)
    return {"echo": event, "requestId": context.aws_request_id,
            "remaining": context.get_remaining_time_in_millis()}
)";

class Invoke : public EngineFixture {};

TEST_F(Invoke, ColdStartThenWarmReuse)
{
    makePython("echo", kEcho);
    InvokeResult first = invokeOk("echo", R"({"n":1})");
    ASSERT_FALSE(first.functionError) << first.payload;
    auto body = nlohmann::json::parse(first.payload);
    EXPECT_EQ(body["echo"]["n"], 1);
    EXPECT_EQ(body["requestId"], first.record.requestId);
    EXPECT_GT(body["remaining"].get<int>(), 0);
    EXPECT_TRUE(first.record.coldStart);
    EXPECT_GT(first.record.initDurationMs, 0);
    EXPECT_NE(first.record.log.find("Init Duration:"), std::string::npos) << first.record.log;

    InvokeResult second = invokeOk("echo", R"({"n":2})");
    EXPECT_FALSE(second.record.coldStart);
    EXPECT_EQ(second.record.log.find("Init Duration:"), std::string::npos) << second.record.log;
    EXPECT_EQ(nlohmann::json::parse(second.payload)["echo"]["n"], 2);
}

TEST_F(Invoke, LogHasStartOutputEndReportInOrder)
{
    makePython("echo", kEcho);
    InvokeResult result = invokeOk("echo");
    const std::string &log = result.record.log;
    const std::string id = result.record.requestId;
    auto start = log.find("START RequestId: " + id + " Version: $LATEST");
    auto output = log.find("hello from echo");
    auto end = log.find("END RequestId: " + id);
    auto report = log.find("REPORT RequestId: " + id + "\tDuration: ");
    ASSERT_NE(start, std::string::npos) << log;
    ASSERT_NE(output, std::string::npos) << log;
    ASSERT_NE(end, std::string::npos) << log;
    ASSERT_NE(report, std::string::npos) << log;
    EXPECT_LT(start, output);
    EXPECT_LT(output, end);
    EXPECT_LT(end, report);
    EXPECT_NE(log.find("\tMemory Size: 128 MB\tMax Memory Used: "), std::string::npos) << log;
    EXPECT_GT(result.record.maxMemoryUsedMb, 1);
    EXPECT_EQ(result.record.billedDurationMs, static_cast<long long>(std::ceil(result.record.durationMs)));
    EXPECT_EQ(result.logTail, log.size() <= 4096 ? log : log.substr(log.size() - 4096));
}

TEST_F(Invoke, HandlerExceptionIsFunctionError)
{
    makePython("boom", "def handler(event, context):\n    raise ValueError('bad input')\n");
    InvokeResult result = invokeOk("boom");
    ASSERT_TRUE(result.functionError);
    EXPECT_EQ(*result.functionError, "Unhandled");
    auto body = nlohmann::json::parse(result.payload);
    EXPECT_EQ(body["errorType"], "ValueError");
    EXPECT_EQ(body["errorMessage"], "bad input");
    EXPECT_EQ(result.record.status, InvocationStatus::FunctionError);
    // The environment survives a handled exception: the next call is warm.
    EXPECT_FALSE(invokeOk("boom").record.coldStart);
}

TEST_F(Invoke, TimeoutEndsInvocationAndEnvironment)
{
    makePython("slow", "import time\ndef handler(event, context):\n    time.sleep(30)\n", /*timeout=*/1);
    InvokeResult result = invokeOk("slow");
    ASSERT_TRUE(result.functionError);
    EXPECT_NE(result.payload.find("Task timed out after 1.00 seconds"), std::string::npos) << result.payload;
    EXPECT_EQ(result.record.status, InvocationStatus::TimedOut);
    EXPECT_NE(result.record.log.find("Task timed out after 1.00 seconds"), std::string::npos);
    EXPECT_NE(result.record.log.find("Status: timeout"), std::string::npos);
    EXPECT_TRUE(invokeOk("slow").record.coldStart);
}

TEST_F(Invoke, CrashIsRuntimeExitError)
{
    makePython("crash", "import os\ndef handler(event, context):\n    os._exit(3)\n");
    InvokeResult result = invokeOk("crash");
    ASSERT_TRUE(result.functionError);
    auto body = nlohmann::json::parse(result.payload);
    EXPECT_EQ(body["errorType"], "Runtime.ExitError");
    EXPECT_NE(body["errorMessage"].get<std::string>().find("exit status 3"), std::string::npos) << result.payload;
    EXPECT_TRUE(invokeOk("crash").record.coldStart);
}

TEST_F(Invoke, MemoryOverrunIsOutOfMemory)
{
    makePython("hog", "def handler(event, context):\n    blocks = []\n    while True:\n        blocks.append(bytearray(16 * 1024 * 1024))\n",
               /*timeout=*/20, /*memory=*/128);
    InvokeResult result = invokeOk("hog");
    ASSERT_TRUE(result.functionError);
    auto body = nlohmann::json::parse(result.payload);
    EXPECT_EQ(body["errorType"], "Runtime.OutOfMemory") << result.payload;
    EXPECT_GE(result.record.maxMemoryUsedMb, 100);
}

TEST_F(Invoke, ImportErrorIsReportedAsInitError)
{
    FunctionConfig config;
    config.name = "broken";
    config.runtime = runtimeLike("python3");
    config.handler = "missing_module.handler";
    ASSERT_TRUE(engine->createFunctionFromFiles(config, {{"app.py", "x = 1\n", false}}).ok());
    InvokeResult result = invokeOk("broken");
    ASSERT_TRUE(result.functionError);
    EXPECT_NE(result.payload.find("Runtime.ImportModuleError"), std::string::npos) << result.payload;
}

// Lambda bills a failed init for its duration and reports the memory it used; the REPORT line
// must not read "Billed Duration: 0 ms ... Max Memory Used: 0 MB".
TEST_F(Invoke, FailedInitIsBilledAndReportsItsMemory)
{
    makePython("initfail",
               "import time\nheld = bytearray(40 * 1024 * 1024)\ntime.sleep(0.2)\n"
               "raise RuntimeError('init failed')\ndef handler(event, context):\n    return 1\n");
    InvokeResult result = invokeOk("initfail");
    ASSERT_TRUE(result.functionError);
    EXPECT_NE(result.payload.find("init failed"), std::string::npos) << result.payload;
    EXPECT_GE(result.record.initDurationMs, 200);
    EXPECT_GE(result.record.billedDurationMs, 200);
    EXPECT_EQ(result.record.billedDurationMs,
              static_cast<long long>(std::ceil(result.record.initDurationMs)));
    EXPECT_GE(result.record.maxMemoryUsedMb, 40) << result.record.log;
    EXPECT_NE(result.record.log.find("INIT_REPORT Init Duration: "), std::string::npos)
        << result.record.log;
    EXPECT_EQ(result.record.log.find("Billed Duration: 0 ms"), std::string::npos)
        << result.record.log;
    EXPECT_EQ(result.record.log.find("Max Memory Used: 0 MB"), std::string::npos)
        << result.record.log;
}

TEST_F(Invoke, BadPayloadsAreRejected)
{
    makePython("echo", kEcho);
    InvokeRequest request;
    request.functionName = "echo";
    request.payload = "{not json";
    auto bad = engine->invoke(request);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidRequestContent);

    request.payload = "\"" + std::string(7 * 1024 * 1024, 'x') + "\"";
    auto large = engine->invoke(request);
    ASSERT_FALSE(large.ok());
    EXPECT_EQ(large.error().code, ErrorCode::RequestTooLarge);

    request.functionName = "nope";
    request.payload = "{}";
    auto missing = engine->invoke(request);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST_F(Invoke, DryRunAndEventTypes)
{
    makePython("echo", kEcho);
    InvokeRequest request;
    request.functionName = "echo";
    request.type = InvocationType::DryRun;
    auto dry = engine->invoke(request);
    ASSERT_TRUE(dry.ok());
    EXPECT_EQ(dry->statusCode, 204);

    request.type = InvocationType::Event;
    auto event = engine->invoke(request);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->statusCode, 202);
    const std::string id = event->record.requestId;
    EXPECT_TRUE(lambdesk::engine::testing::waitUntil([&] {
        for (const auto &rec : engine->listInvocations({"echo", 0, 0, 0, false, {}, {}}))
            if (rec.requestId == id)
                return rec.status == InvocationStatus::Succeeded && rec.invocationType == "Event";
        return false;
    }));
}

TEST_F(Invoke, NodeHandlersAsyncAndCallback)
{
    std::string runtime = runtimeLike("nodejs");
    if (runtime.empty())
        GTEST_SKIP() << "no nodejs runtime on this machine";
    FunctionConfig config;
    config.name = "node-async";
    config.runtime = runtime;
    config.handler = "index.handler";
    ASSERT_TRUE(engine->createFunctionFromFiles(config, {{"index.mjs",
        "export const handler = async (event, context) => { console.log('hi'); return {n: event.n, id: context.awsRequestId}; };\n", false}}).ok());
    InvokeResult result = invokeOk("node-async", R"({"n":5})");
    ASSERT_FALSE(result.functionError) << result.payload;
    EXPECT_EQ(nlohmann::json::parse(result.payload)["n"], 5);
    EXPECT_NE(result.record.log.find("\tINFO\thi"), std::string::npos) << result.record.log;

    config.name = "node-callback";
    ASSERT_TRUE(engine->createFunctionFromFiles(config, {{"index.js",
        "exports.handler = (event, context, callback) => { callback(null, {ok: true}); };\n", false}}).ok());
    InvokeResult cb = invokeOk("node-callback");
    ASSERT_FALSE(cb.functionError) << cb.payload;
    EXPECT_EQ(nlohmann::json::parse(cb.payload)["ok"], true);
}

TEST_F(Invoke, ProvidedBootstrapInAnyLanguage)
{
    std::string runtime = runtimeLike("provided");
    ASSERT_FALSE(runtime.empty());
    // A bootstrap written in shell + python's stdlib client: the Runtime API loop by hand.
    const char *bootstrap = R"(#!/usr/bin/python3
import os, urllib.request, json
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as r:
        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
    body = json.dumps({"provided": True, "got": event}).encode()
    urllib.request.urlopen(urllib.request.Request(api + rid + "/response", data=body, method="POST")).read()
)";
    FunctionConfig config;
    config.name = "custom";
    config.runtime = runtime;
    config.handler = "unused";
    ASSERT_TRUE(engine->createFunctionFromFiles(config, {{"bootstrap", bootstrap, true}}).ok());
    InvokeResult result = invokeOk("custom", R"({"k":"v"})");
    ASSERT_FALSE(result.functionError) << result.payload << result.record.log;
    auto body = nlohmann::json::parse(result.payload);
    EXPECT_EQ(body["provided"], true);
    EXPECT_EQ(body["got"]["k"], "v");
}

TEST_F(Invoke, ARuntimeThatExitsAfterAnsweringGivesTheNextInvocationAColdStart)
{
    std::string runtime = runtimeLike("provided");
    ASSERT_FALSE(runtime.empty());
    // Answers one event, then exits instead of asking for the next, as Node's runtime does after an
    // uncaught error; it lingers first, so that the next invocation finds it still running.
    const char *bootstrap = R"(#!/usr/bin/python3
import os, sys, time, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
with urllib.request.urlopen(api + "next") as r:
    rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
urllib.request.urlopen(urllib.request.Request(api + rid + "/response", data=b'"answered"', method="POST")).read()
time.sleep(0.5)
sys.exit(129)
)";
    FunctionConfig config;
    config.name = "one-shot";
    config.runtime = runtime;
    config.handler = "unused";
    ASSERT_TRUE(engine->createFunctionFromFiles(config, {{"bootstrap", bootstrap, true}}).ok());
    InvokeResult first = invokeOk("one-shot");
    ASSERT_FALSE(first.functionError) << first.payload;
    InvokeResult second = invokeOk("one-shot");
    EXPECT_FALSE(second.functionError) << second.payload << second.record.log;
    EXPECT_EQ(second.payload, "\"answered\"");
    EXPECT_TRUE(second.record.coldStart);
    EXPECT_EQ(second.record.log.find("START RequestId"), second.record.log.rfind("START RequestId"))
        << second.record.log;
}

} // namespace
