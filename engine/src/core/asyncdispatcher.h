#pragma once
// The workers of the durable asynchronous queue: each takes the earliest due event from the
// store and hands it to the engine; between events it sleeps until the next one is due (at most
// a second, so that an injected clock that jumps ahead is noticed) or until wake().

#include "store/asyncinvokestore.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lambdesk::engine {

class AsyncDispatcher {
public:
    using Now = std::function<std::int64_t()>;         // epoch milliseconds
    using Run = std::function<void(AsyncEvent event)>; // runs, then settles or reschedules it

    // `leaseMs`: how long a claimed event is a worker's before another may take it again (it
    // must outlast the longest attempt; it only matters when settling the event failed).
    AsyncDispatcher(AsyncInvokeStore &store, Now now, Run run, std::int64_t leaseMs);
    ~AsyncDispatcher(); // stop(true)
    AsyncDispatcher(const AsyncDispatcher &) = delete;
    AsyncDispatcher &operator=(const AsyncDispatcher &) = delete;

    // Starts the workers. Separate from construction: `run` may use the dispatcher (wake,
    // stopping) through whoever owns it, which must hold it first.
    void start(int workers);
    void wake(); // an event was queued or rescheduled
    // Workers take no new event and end after their current one; `join` waits for that.
    void stop(bool join);
    bool stopping() const { return m_stopping.load(); }

private:
    void work();

    AsyncInvokeStore &m_store;
    Now m_now;
    Run m_run;
    std::int64_t m_leaseMs;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::uint64_t m_generation = 0; // bumped by wake(): a worker never sleeps through one
    std::atomic<bool> m_stopping{false};
    std::vector<std::thread> m_workers;
};

} // namespace lambdesk::engine
