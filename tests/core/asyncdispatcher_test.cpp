// The workers of the asynchronous queue: every due event is run exactly once however many
// workers race for it, an event queued while they sleep is run once wake() says so, and stop()
// ends them after their current event.
#include "core/asyncdispatcher.h"

#include "store/storefixture.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

namespace lambdesk::engine::test {
namespace {

using Clock = std::chrono::steady_clock;

bool waitFor(const std::function<bool()> &condition)
{
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

class AsyncDispatcherTest : public StoreWithFunction {
protected:
    void enqueue(std::int64_t dueMs)
    {
        AsyncEvent event;
        event.requestId = "r" + std::to_string(m_queued++);
        event.functionName = "orders";
        event.receivedMs = dueMs;
        event.dueMs = dueMs;
        ASSERT_TRUE(m_store->asyncInvocations().enqueue(event).ok());
    }

    // Runs an event: counts it, then settles it, as the engine does once done with one.
    AsyncDispatcher::Run counting()
    {
        return [this](AsyncEvent event) {
            {
                std::lock_guard lock(m_mutex);
                ++m_runs[event.requestId];
            }
            (void)m_store->asyncInvocations().settle(event.seq);
        };
    }

    std::map<std::string, int> runs()
    {
        std::lock_guard lock(m_mutex);
        return m_runs;
    }

    std::atomic<std::int64_t> m_now{1000};
    int m_queued = 0;
    std::mutex m_mutex;
    std::map<std::string, int> m_runs;
};

TEST_F(AsyncDispatcherTest, RunsEveryDueEventExactlyOnceAcrossWorkers)
{
    for (int i = 0; i < 40; ++i)
        enqueue(1000);
    enqueue(5000); // not due on this clock
    AsyncDispatcher dispatcher(
        m_store->asyncInvocations(), [this] { return m_now.load(); }, counting(), 60'000);
    dispatcher.start(6);
    ASSERT_TRUE(waitFor([&] { return runs().size() == 40; }));
    dispatcher.stop(true);
    for (const auto &[requestId, count] : runs())
        EXPECT_EQ(count, 1) << requestId;
    EXPECT_EQ(runs().count("r40"), 0u) << "an event before its time ran";
    EXPECT_EQ(*m_store->asyncInvocations().pending("orders"), 1u);
}

TEST_F(AsyncDispatcherTest, AnEventQueuedWhileTheWorkersSleepRunsOnWake)
{
    AsyncDispatcher dispatcher(
        m_store->asyncInvocations(), [this] { return m_now.load(); }, counting(), 60'000);
    dispatcher.start(2);
    enqueue(1000);
    dispatcher.wake();
    ASSERT_TRUE(waitFor([&] { return runs().size() == 1; }));
    enqueue(2000);
    m_now = 2000; // a clock that jumps: noticed within the workers' longest sleep
    ASSERT_TRUE(waitFor([&] { return runs().size() == 2; }));
}

TEST_F(AsyncDispatcherTest, StopEndsTheWorkersAfterTheirCurrentEvent)
{
    std::atomic<bool> release{false};
    std::atomic<int> started{0};
    AsyncDispatcher dispatcher(
        m_store->asyncInvocations(), [this] { return m_now.load(); },
        [&](AsyncEvent) {
            ++started;
            while (!release)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        },
        60'000);
    enqueue(1000);
    enqueue(1000);
    dispatcher.start(1);
    ASSERT_TRUE(waitFor([&] { return started == 1; }));
    dispatcher.stop(false);
    EXPECT_TRUE(dispatcher.stopping());
    release = true;
    dispatcher.stop(true);
    EXPECT_EQ(started, 1) << "a stopping worker took another event";
}

} // namespace
} // namespace lambdesk::engine::test
