#pragma once
// The threads that poll a queue for one event source mapping: each runs `work` until told to
// stop. Destroying the poller stops and joins them; `wake` interrupts a long poll they wait in.

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

namespace lambdesk::engine {

class QueuePoller {
public:
    using Work = std::function<void(const std::atomic<bool> &stopping)>;
    QueuePoller(int workers, const Work &work, std::function<void()> wake);
    ~QueuePoller(); // requestStop(), then joins
    QueuePoller(const QueuePoller &) = delete;
    QueuePoller &operator=(const QueuePoller &) = delete;

    void requestStop(); // returns at once; the workers finish their current batch
    int workers() const { return static_cast<int>(m_threads.size()); }

private:
    std::atomic<bool> m_stopping{false};
    std::function<void()> m_wake;
    std::vector<std::thread> m_threads;
};

} // namespace lambdesk::engine
