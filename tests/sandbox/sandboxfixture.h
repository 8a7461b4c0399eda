#pragma once
// A test fixture parameterised by backend name: every sandbox test runs against each backend
// that works on this machine and skips, saying why, on the others.

#include "runtimeapistub.h"
#include "sandboxtestsupport.h"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>

namespace lambdesk::test {

inline engine::SandboxBackend &backendNamed(const std::string &name)
{
    // One instance per backend for the whole test program: probes are cached there.
    static std::map<std::string, std::unique_ptr<engine::SandboxBackend>> backends;
    auto &slot = backends[name];
    if (!slot)
        slot = name == "gvisor" ? engine::makeGvisorBackend() : engine::makeProcessBackend();
    return *slot;
}

class SandboxTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override
    {
        const auto availability = backend().probe();
        if (!availability.available)
            GTEST_SKIP() << "the " << GetParam() << " sandbox does not work here: " << availability.detail;
    }

    engine::SandboxBackend &backend() { return backendNamed(GetParam()); }

    // Starts `handler` of `runtimePrefix` on the code in m_code; skips when the runtime is missing.
    std::unique_ptr<engine::Sandbox> start(const std::string &runtimePrefix, const std::string &handler,
                                           const std::function<void(engine::EnvironmentSpec &)> &adjust = {})
    {
        const auto runtime = findRuntime(runtimePrefix);
        if (!runtime)
            return nullptr;
        auto spec = makeSpec(*runtime, m_code.path(), m_api, handler);
        if (adjust)
            adjust(spec);
        auto sandbox = backend().start(spec);
        if (!sandbox) {
            ADD_FAILURE() << "start failed: " << sandbox.error().message;
            return nullptr;
        }
        return std::move(*sandbox);
    }

    // Queues one event and returns the runtime's answer.
    std::optional<RuntimePost> invoke(const std::string &requestId, const std::string &payload)
    {
        m_api.queue({requestId, payload});
        return m_api.waitForPost();
    }

    static nlohmann::json parse(const std::string &text)
    {
        return nlohmann::json::parse(text, nullptr, false);
    }

    TempDir m_code;
    RuntimeApiStub m_api;
};

} // namespace lambdesk::test

// Starts a sandbox into `var`, or skips the test when this machine lacks the runtime.
#define LAMBDESK_START_OR_SKIP(var, runtimePrefix, handler, ...)                                     \
    if (!::lambdesk::test::findRuntime(runtimePrefix))                                               \
        GTEST_SKIP() << "no " << (runtimePrefix) << " runtime on this machine";                      \
    auto var = start(runtimePrefix, handler __VA_OPT__(, ) __VA_ARGS__);                              \
    ASSERT_TRUE(var)

#define LAMBDESK_SANDBOX_BACKENDS(Suite)                                                                   \
    INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(std::string("process"), std::string("gvisor")), \
                             [](const ::testing::TestParamInfo<std::string> &info) { return info.param; })
