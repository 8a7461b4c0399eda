// EnvironmentPool on its own: concurrency slots (reserved, account limit, returned on
// destruction), warm reuse of exactly one generation, retirement, idle expiry and shutdown, with
// real execution environments (python runtimes in the process sandbox).
#include "core/environmentpool.h"

#include "../sandbox/sandboxtestsupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace lambdesk;
using namespace lambdesk::engine;
using namespace std::chrono_literals;

namespace {

constexpr auto kInitDeadline = 60s;

// Waits for `condition` with a deadline, as a busy machine needs.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds deadline = 30s)
{
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

class EnvironmentPoolTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_runtime = test::findRuntime("python");
        if (!m_runtime)
            GTEST_SKIP() << "no python runtime on this machine";
        const auto availability = m_backend->probe();
        if (!availability.available)
            GTEST_SKIP() << "the process sandbox does not work here: " << availability.detail;
        m_code.write("lambda_function.py",
                     "def lambda_handler(event, context):\n    return event\n");
    }

    static EnvironmentIdentity identity(const std::string &function,
                                        const std::string &revision = "r1")
    {
        EnvironmentIdentity id;
        id.functionName = function;
        id.version = "$LATEST";
        id.revisionId = revision;
        id.sandbox = "process";
        id.memoryMb = 256;
        return id;
    }

    // A launched environment whose runtime reached its first /next: warm and reusable.
    std::shared_ptr<ExecutionEnvironment> warmEnvironment(EnvironmentPool &pool,
                                                          EnvironmentIdentity id)
    {
        static int counter = 0;
        id.retireEpoch = pool.epoch(id.functionName);
        auto env =
            std::make_shared<ExecutionEnvironment>("pool-test-" + std::to_string(++counter), id);
        pool.track(env);
        EnvironmentSpec spec; // launch() serves the environment's own Runtime API
        spec.id = env->id();
        spec.runtime = *m_runtime;
        spec.codeDir = m_code.path();
        spec.memoryMb = id.memoryMb;
        spec.environment = {{"_HANDLER", "lambda_function.lambda_handler"},
                            {"LAMBDA_TASK_ROOT", "/var/task"},
                            {"AWS_LAMBDA_FUNCTION_NAME", id.functionName},
                            {"AWS_LAMBDA_FUNCTION_VERSION", id.version},
                            {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", std::to_string(id.memoryMb)},
                            {"PATH", "/usr/local/bin:/usr/bin/:/bin"}};
        spec.scratchDir = m_scratch.path() / env->id();
        std::filesystem::create_directories(spec.scratchDir);
        const auto launched = env->launch(*m_backend, spec);
        EXPECT_TRUE(launched.ok()) << (launched.ok() ? "" : launched.error().message);
        if (!launched.ok())
            return nullptr;
        const InitResult init = env->waitForInit(Clock::now() + kInitDeadline);
        EXPECT_TRUE(init.ready) << init.errorType << ": " << init.body << "\n" << init.output;
        return init.ready ? env : nullptr;
    }

    std::unique_ptr<SandboxBackend> m_backend = makeProcessBackend();
    std::optional<RuntimeInfo> m_runtime;
    test::TempDir m_code;
    test::TempDir m_scratch;
};

TEST_F(EnvironmentPoolTest, ReservedConcurrencyAndTheAccountLimit)
{
    EnvironmentPool pool(10min, 3);
    {
        auto first = pool.reserve("limited", 1);
        ASSERT_TRUE(first.ok());
        const auto second = pool.reserve("limited", 1);
        ASSERT_FALSE(second.ok());
        EXPECT_EQ(second.error().code, ErrorCode::TooManyRequests);
        EXPECT_NE(second.error().message.find("ReservedFunctionConcurrentInvocationLimitExceeded"),
                  std::string::npos);

        auto a = pool.reserve("open", std::nullopt);
        auto b = pool.reserve("open", std::nullopt);
        ASSERT_TRUE(a.ok() && b.ok());
        EXPECT_EQ(pool.busyCount(), 3);
        const auto over = pool.reserve("other", std::nullopt);
        ASSERT_FALSE(over.ok());
        EXPECT_EQ(over.error().code, ErrorCode::TooManyRequests);
        EXPECT_NE(over.error().message.find("ConcurrentInvocationLimitExceeded"),
                  std::string::npos);

        // A moved slot is returned once, by its new owner.
        ConcurrencySlot moved(std::move(*a));
        EXPECT_EQ(pool.busyCount(), 3);
    }
    EXPECT_EQ(pool.busyCount(), 0);
    EXPECT_TRUE(pool.reserve("limited", 1).ok());

    // Reserved 0 is a throttled function.
    const auto throttled = pool.reserve("throttled", 0);
    ASSERT_FALSE(throttled.ok());
    EXPECT_EQ(throttled.error().code, ErrorCode::TooManyRequests);
}

TEST_F(EnvironmentPoolTest, ReusesOnlyTheSameGeneration)
{
    EnvironmentPool pool(10min, 10);
    auto env = warmEnvironment(pool, identity("fn"));
    ASSERT_TRUE(env);
    pool.release(std::move(env));
    EXPECT_EQ(pool.idleCount(), 1);

    // Another function, or the same one with other code or memory, does not get it.
    EXPECT_FALSE(pool.takeIdle(identity("other")));
    EXPECT_EQ(pool.idleCount(), 1);
    auto bigger = identity("fn");
    bigger.memoryMb = 512;
    EXPECT_FALSE(pool.takeIdle(bigger));
    EXPECT_EQ(pool.idleCount(), 0) << "an idle environment of an older generation is retired";

    auto current = warmEnvironment(pool, identity("fn"));
    ASSERT_TRUE(current);
    ExecutionEnvironment *const second = current.get();
    pool.release(std::move(current));
    const auto taken = pool.takeIdle(identity("fn"));
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken.get(), second);
    EXPECT_EQ(pool.idleCount(), 0);
}

TEST_F(EnvironmentPoolTest, RetireShutsIdleOnesDownAndRefusesBusyOnesBack)
{
    EnvironmentPool pool(10min, 10);
    auto idle = warmEnvironment(pool, identity("fn"));
    auto busy = warmEnvironment(pool, identity("fn"));
    auto unrelated = warmEnvironment(pool, identity("keep"));
    ASSERT_TRUE(idle && busy && unrelated);
    pool.release(std::move(idle));
    pool.release(std::move(unrelated));
    ASSERT_EQ(pool.idleCount(), 2);

    const std::uint64_t before = pool.epoch("fn");
    pool.retire("fn"); // an update: the code changed
    EXPECT_EQ(pool.epoch("fn"), before + 1);
    EXPECT_EQ(pool.idleCount(), 1) << "only the other function's environment stays";
    pool.release(std::move(busy)); // finished after the update: not kept
    EXPECT_EQ(pool.idleCount(), 1);
    EXPECT_FALSE(pool.takeIdle(identity("fn")));
    EXPECT_TRUE(pool.takeIdle(identity("keep")));
}

TEST_F(EnvironmentPoolTest, IdleEnvironmentsExpire)
{
    EnvironmentPool pool(100ms, 10);
    auto env = warmEnvironment(pool, identity("fn"));
    ASSERT_TRUE(env);
    std::weak_ptr<ExecutionEnvironment> watched = env;
    pool.release(std::move(env));
    EXPECT_TRUE(eventually([&] { return pool.idleCount() == 0; }))
        << "the reaper retires it after the idle timeout";
    EXPECT_TRUE(eventually([&] { return watched.expired(); }));
}

TEST_F(EnvironmentPoolTest, ShutdownAllEndsEverythingAndRefusesNewWork)
{
    EnvironmentPool pool(10min, 10);
    auto idle = warmEnvironment(pool, identity("fn"));
    auto busy = warmEnvironment(pool, identity("fn"));
    ASSERT_TRUE(idle && busy);
    pool.release(std::move(idle));

    pool.shutdownAll();
    EXPECT_EQ(pool.idleCount(), 0);
    EXPECT_FALSE(busy->isReusable()) << "a busy environment is aborted, never reused";
    pool.release(std::move(busy));
    EXPECT_EQ(pool.idleCount(), 0);

    const auto refused = pool.reserve("fn", std::nullopt);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::ServiceError);
}

} // namespace
