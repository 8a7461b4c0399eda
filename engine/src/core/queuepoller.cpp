#include "core/queuepoller.h"

namespace lambdesk::engine {

QueuePoller::QueuePoller(int workers, const Work &work, std::function<void()> wake)
    : m_wake(std::move(wake))
{
    for (int i = 0; i < workers; ++i)
        m_threads.emplace_back([this, work] { work(m_stopping); });
}

QueuePoller::~QueuePoller()
{
    requestStop();
    for (std::thread &thread : m_threads)
        thread.join();
}

void QueuePoller::requestStop()
{
    m_stopping = true;
    m_wake();
}

} // namespace lambdesk::engine
