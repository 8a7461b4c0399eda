// The queue of Event invocations: a stopping engine records what it will not run.

#include "core/engineimpl.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

using namespace lambdesk::engine;

TEST(AsyncQueue, DropRecordsQueuedJobsInsteadOfRunningThem)
{
    AsyncQueue queue(1);
    std::promise<void> running;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> ran{0};
    std::atomic<int> dropped{0};
    // The only worker is busy with the first job, so the second one waits in the queue.
    queue.push(
        [&] {
            running.set_value();
            released.wait();
            ++ran;
        },
        [&] { ++dropped; });
    running.get_future().wait();
    queue.push([&] { ++ran; }, [&] { ++dropped; });

    queue.drop();
    EXPECT_EQ(dropped.load(), 1);
    // Pushed after the drop: recorded at once, never run.
    queue.push([&] { ++ran; }, [&] { ++dropped; });
    EXPECT_EQ(dropped.load(), 2);
    release.set_value();
}

TEST(AsyncQueue, RunsJobsUntilDropped)
{
    std::atomic<int> ran{0};
    std::promise<void> done;
    {
        AsyncQueue queue(2);
        queue.push(
            [&] {
                ++ran;
                done.set_value();
            },
            [] { FAIL() << "dropped a job it had time to run"; });
        done.get_future().wait();
    }
    EXPECT_EQ(ran.load(), 1);
}
