#pragma once
// A real Engine on a temporary data dir, with helpers to make functions from inline code and to
// wait on conditions with a deadline (never fixed sleeps).

#include "lambdesk/engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>

namespace lambdesk::engine::testing {

inline std::filesystem::path makeTempDir(const std::string &prefix)
{
    std::random_device rd;
    auto dir = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()));
    std::filesystem::create_directories(dir);
    return dir;
}

// Polls `condition` until it holds or `timeout` passes.
inline bool waitUntil(const std::function<bool()> &condition,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10))
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

class EngineFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dataDir = makeTempDir("lambdesk-core-");
        openEngine();
    }
    void TearDown() override
    {
        engine.reset();
        std::filesystem::remove_all(m_dataDir);
    }
    virtual EngineOptions engineOptions()
    {
        EngineOptions options;
        options.dataDir = m_dataDir;
        options.defaultSandbox = sandboxName();
        return options;
    }
    virtual std::string sandboxName() { return "process"; }
    void openEngine()
    {
        auto opened = Engine::open(engineOptions());
        ASSERT_TRUE(opened.ok()) << opened.error().message;
        engine = std::move(*opened);
    }
    void reopenEngine()
    {
        engine.reset();
        openEngine();
    }

    // First available runtime id starting with `prefix` ("python", "nodejs", "provided"), or "".
    std::string runtimeLike(const std::string &prefix)
    {
        for (const auto &runtime : engine->runtimes())
            if (runtime.available && runtime.id.rfind(prefix, 0) == 0)
                return runtime.id;
        return {};
    }

    FunctionInfo makePython(const std::string &name, const std::string &code, int timeout = 3, int memory = 128)
    {
        std::string runtime = runtimeLike("python3");
        if (runtime.empty())
            ADD_FAILURE() << "no python runtime on this machine";
        FunctionConfig config;
        config.name = name;
        config.runtime = runtime;
        config.handler = "app.handler";
        config.timeoutSeconds = timeout;
        config.memorySizeMb = memory;
        auto created = engine->createFunctionFromFiles(config, {{"app.py", code, false}});
        EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
        return created.ok() ? *created : FunctionInfo{};
    }

    InvokeResult invokeOk(const std::string &name, const std::string &payload = "{}")
    {
        InvokeRequest request;
        request.functionName = name;
        request.payload = payload;
        auto result = engine->invoke(request);
        EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
        return result.ok() ? *result : InvokeResult{};
    }

    std::unique_ptr<Engine> engine;
    std::filesystem::path m_dataDir;
};

} // namespace lambdesk::engine::testing
