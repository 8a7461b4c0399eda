#include "core/asyncdispatcher.h"

#include <algorithm>
#include <chrono>

namespace lambdesk::engine {

namespace {

constexpr std::int64_t kLongestSleepMs = 1000;

} // namespace

AsyncDispatcher::AsyncDispatcher(AsyncInvokeStore &store, Now now, Run run, std::int64_t leaseMs)
    : m_store(store), m_now(std::move(now)), m_run(std::move(run)), m_leaseMs(leaseMs)
{
}

void AsyncDispatcher::start(int workers)
{
    for (int i = 0; i < workers; ++i)
        m_workers.emplace_back([this] { work(); });
}

AsyncDispatcher::~AsyncDispatcher()
{
    stop(true);
}

void AsyncDispatcher::wake()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_generation;
    }
    // One worker: the one that claims the event wakes the next (work()), so a backlog spreads
    // over the workers without each event sending all of them to the store at once.
    m_wake.notify_one();
}

void AsyncDispatcher::stop(bool join)
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (!join)
        return;
    for (std::thread &worker : m_workers)
        if (worker.joinable())
            worker.join();
}

void AsyncDispatcher::work()
{
    while (!m_stopping) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(m_mutex);
            seen = m_generation;
        }
        auto claimed = m_store.claimDue(m_now(), m_leaseMs);
        if (claimed && *claimed) {
            wake(); // there may be more due: the next worker looks while this one runs
            m_run(std::move(**claimed));
            continue;
        }
        std::int64_t sleepMs = kLongestSleepMs;
        if (auto next = m_store.nextDue(); claimed && next && *next)
            sleepMs = std::clamp<std::int64_t>(**next - m_now(), 0, kLongestSleepMs);
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(sleepMs),
                        [&] { return m_stopping || m_generation != seen; });
    }
}

} // namespace lambdesk::engine
