// Environments over time: concurrency, throttling, idle expiry, retirement on update.

#include "enginefixture.h"

#include <future>
#include <nlohmann/json.hpp>

using namespace lambdesk::engine;
using lambdesk::engine::testing::EngineFixture;
using lambdesk::engine::testing::waitUntil;

namespace {

const char *kSleeper = R"(
import time, os
def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return {"pid": os.getpid()}
)";

class Lifecycle : public EngineFixture {
protected:
    EngineOptions engineOptions() override
    {
        EngineOptions options = EngineFixture::engineOptions();
        options.idleTimeout = std::chrono::milliseconds(m_idleMs);
        return options;
    }
    int m_idleMs = 60000;
};

TEST_F(Lifecycle, ConcurrentInvocationsGetSeparateEnvironments)
{
    makePython("sleeper", kSleeper, 10);
    std::vector<std::future<InvokeResult>> calls;
    for (int i = 0; i < 3; ++i)
        calls.push_back(std::async(std::launch::async, [this] { return invokeOk("sleeper", R"({"sleep":0.5})"); }));
    int cold = 0;
    for (auto &call : calls)
        cold += call.get().record.coldStart ? 1 : 0;
    EXPECT_EQ(cold, 3);
    EXPECT_EQ(engine->status().warmEnvironments, 3);
}

TEST_F(Lifecycle, ReservedConcurrencyThrottlesWith429)
{
    makePython("sleeper", kSleeper, 10);
    ASSERT_TRUE(engine->putFunctionConcurrency("sleeper", 1).ok());
    auto running = std::async(std::launch::async, [this] { return invokeOk("sleeper", R"({"sleep":1.5})"); });
    ASSERT_TRUE(waitUntil([&] { return engine->status().busyEnvironments == 1; }));
    InvokeRequest request;
    request.functionName = "sleeper";
    auto throttled = engine->invoke(request);
    ASSERT_FALSE(throttled.ok());
    EXPECT_EQ(throttled.error().code, ErrorCode::TooManyRequests);
    EXPECT_FALSE(running.get().functionError);
    bool recorded = false;
    for (const auto &rec : engine->listInvocations({"sleeper", 0, 0, 0, false, {}, {}}))
        recorded |= rec.status == InvocationStatus::Throttled;
    EXPECT_TRUE(recorded);

    ASSERT_TRUE(engine->putFunctionConcurrency("sleeper", 0).ok());
    auto zero = engine->invoke(request);
    ASSERT_FALSE(zero.ok());
    EXPECT_EQ(zero.error().code, ErrorCode::TooManyRequests);
}

class ShortIdle : public Lifecycle {
protected:
    ShortIdle() { m_idleMs = 300; }
};

TEST_F(ShortIdle, IdleEnvironmentExpires)
{
    makePython("sleeper", kSleeper);
    EXPECT_TRUE(invokeOk("sleeper").record.coldStart);
    EXPECT_EQ(engine->status().warmEnvironments, 1);
    ASSERT_TRUE(waitUntil([&] { return engine->status().warmEnvironments == 0; }, std::chrono::seconds(10)));
    EXPECT_TRUE(invokeOk("sleeper").record.coldStart);
}

TEST_F(Lifecycle, CodeAndConfigUpdatesRetireWarmEnvironments)
{
    makePython("sleeper", kSleeper);
    auto firstPid = nlohmann::json::parse(invokeOk("sleeper").payload)["pid"];
    EXPECT_FALSE(invokeOk("sleeper").record.coldStart);

    ASSERT_TRUE(engine->deployFiles("sleeper", {{"app.py", "def handler(e, c):\n    return 'v2'\n", false}}).ok());
    InvokeResult afterDeploy = invokeOk("sleeper");
    EXPECT_TRUE(afterDeploy.record.coldStart);
    EXPECT_EQ(afterDeploy.payload, "\"v2\"");

    FunctionConfigPatch patch;
    patch.memorySizeMb = 256;
    ASSERT_TRUE(engine->updateFunctionConfiguration("sleeper", patch).ok());
    InvokeResult afterConfig = invokeOk("sleeper");
    EXPECT_TRUE(afterConfig.record.coldStart);
    EXPECT_EQ(afterConfig.record.memorySizeMb, 256);
    (void)firstPid;
}

TEST_F(Lifecycle, CrashingFunctionNeverTakesTheEngineDown)
{
    makePython("crash", "import os, signal\ndef handler(event, context):\n    os.kill(os.getpid(), signal.SIGSEGV)\n");
    for (int i = 0; i < 3; ++i) {
        InvokeResult result = invokeOk("crash");
        ASSERT_TRUE(result.functionError);
        EXPECT_NE(result.payload.find("Runtime.ExitError"), std::string::npos) << result.payload;
    }
    makePython("fine", kSleeper);
    EXPECT_FALSE(invokeOk("fine").functionError);
}

} // namespace
