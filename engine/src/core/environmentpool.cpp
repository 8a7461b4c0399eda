#include "core/environmentpool.h"

#include <algorithm>

namespace lambdesk::engine {

ConcurrencySlot::ConcurrencySlot(EnvironmentPool *pool, std::string functionName)
    : m_pool(pool), m_functionName(std::move(functionName))
{
}

ConcurrencySlot::ConcurrencySlot(ConcurrencySlot &&other) noexcept
    : m_pool(std::exchange(other.m_pool, nullptr)), m_functionName(std::move(other.m_functionName))
{
}

ConcurrencySlot::~ConcurrencySlot()
{
    if (m_pool)
        m_pool->releaseSlot(m_functionName);
}

EnvironmentPool::EnvironmentPool(std::chrono::milliseconds idleTimeout, int accountConcurrency)
    : m_idleTimeout(idleTimeout), m_accountConcurrency(accountConcurrency)
{
    m_reaper = std::thread([this] { reapLoop(); });
}

EnvironmentPool::~EnvironmentPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_reaper.joinable())
        m_reaper.join();
    shutdownAll();
}

Result<ConcurrencySlot> EnvironmentPool::reserve(const std::string &functionName, std::optional<int> reserved)
{
    std::lock_guard lock(m_mutex);
    if (m_closed)
        return makeError(ErrorCode::ServiceError,
                         "Lambdesk is shutting down; the invocation was not run");
    int &busy = m_busyByFunction[functionName];
    if (reserved && busy >= *reserved)
        return makeError(ErrorCode::TooManyRequests,
                         "Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded: function '" +
                             functionName + "' has reserved concurrency " + std::to_string(*reserved) + ")");
    if (!reserved && m_busyTotal >= m_accountConcurrency)
        return makeError(ErrorCode::TooManyRequests,
                         "Rate Exceeded. (ConcurrentInvocationLimitExceeded: account limit " +
                             std::to_string(m_accountConcurrency) + ")");
    ++busy;
    ++m_busyTotal;
    return ConcurrencySlot(this, functionName);
}

void EnvironmentPool::releaseSlot(const std::string &functionName)
{
    std::lock_guard lock(m_mutex);
    auto it = m_busyByFunction.find(functionName);
    if (it != m_busyByFunction.end() && it->second > 0)
        --it->second;
    if (m_busyTotal > 0)
        --m_busyTotal;
}

bool EnvironmentPool::sameGeneration(const EnvironmentIdentity &a, const EnvironmentIdentity &b)
{
    return a.functionName == b.functionName && a.version == b.version && a.revisionId == b.revisionId &&
           a.sandbox == b.sandbox && a.memoryMb == b.memoryMb;
}

std::shared_ptr<ExecutionEnvironment> EnvironmentPool::takeIdle(const EnvironmentIdentity &identity)
{
    std::vector<std::shared_ptr<ExecutionEnvironment>> stale;
    std::shared_ptr<ExecutionEnvironment> found;
    {
        std::lock_guard lock(m_mutex);
        const std::uint64_t current = m_epochs[identity.functionName];
        for (auto it = m_idle.begin(); it != m_idle.end();) {
            const auto &id = (*it)->identity();
            const bool sameFunction = id.functionName == identity.functionName && id.version == identity.version;
            if (sameFunction && (!sameGeneration(id, identity) || id.retireEpoch != current || !(*it)->isReusable())) {
                stale.push_back(*it);
                it = m_idle.erase(it);
                continue;
            }
            // Most recently used last: take from the back to keep the hottest one busy.
            ++it;
        }
        for (auto it = m_idle.rbegin(); it != m_idle.rend(); ++it) {
            if (sameGeneration((*it)->identity(), identity)) {
                found = *it;
                m_idle.erase(std::next(it).base());
                break;
            }
        }
    }
    for (auto &env : stale)
        env->shutdown();
    return found;
}

void EnvironmentPool::release(std::shared_ptr<ExecutionEnvironment> env)
{
    if (!env)
        return;
    {
        std::lock_guard lock(m_mutex);
        const bool current = env->identity().retireEpoch == m_epochs[env->identity().functionName];
        if (!m_stopping && !m_closed && current && env->isReusable()) {
            env->touch();
            m_idle.push_back(std::move(env));
            return;
        }
    }
    env->shutdown();
}

void EnvironmentPool::retire(const std::string &functionName)
{
    std::vector<std::shared_ptr<ExecutionEnvironment>> retired;
    {
        std::lock_guard lock(m_mutex);
        ++m_epochs[functionName];
        auto keep = std::stable_partition(m_idle.begin(), m_idle.end(), [&](const auto &env) {
            return env->identity().functionName != functionName;
        });
        retired.assign(keep, m_idle.end());
        m_idle.erase(keep, m_idle.end());
    }
    for (auto &env : retired)
        env->shutdown();
}

void EnvironmentPool::track(const std::shared_ptr<ExecutionEnvironment> &env)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_closed) {
            std::erase_if(m_live, [](const auto &weak) { return weak.expired(); });
            m_live.push_back(env);
            return;
        }
    }
    env->abort(); // created after the shutdown began: its launch gives up
}

void EnvironmentPool::shutdownAll()
{
    std::vector<std::shared_ptr<ExecutionEnvironment>> idle;
    std::vector<std::shared_ptr<ExecutionEnvironment>> live;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        idle.swap(m_idle);
        for (const auto &weak : m_live)
            if (auto env = weak.lock())
                live.push_back(std::move(env));
        m_live.clear();
    }
    // Busy ones belong to their invoking threads, which see the abort and release them.
    for (auto &env : live)
        env->abort();
    for (auto &env : idle)
        env->shutdown();
}

std::uint64_t EnvironmentPool::epoch(const std::string &functionName) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_epochs.find(functionName);
    return it == m_epochs.end() ? 0 : it->second;
}

int EnvironmentPool::idleCount() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_idle.size());
}

int EnvironmentPool::busyCount() const
{
    std::lock_guard lock(m_mutex);
    return m_busyTotal;
}

void EnvironmentPool::reapLoop()
{
    const auto tick = std::clamp(m_idleTimeout / 4, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, tick);
        if (m_stopping)
            break;
        const auto now = Clock::now();
        std::vector<std::shared_ptr<ExecutionEnvironment>> expired;
        auto keep = std::stable_partition(m_idle.begin(), m_idle.end(), [&](const auto &env) {
            return env->isReusable() && now - env->lastUsed() < m_idleTimeout;
        });
        expired.assign(keep, m_idle.end());
        m_idle.erase(keep, m_idle.end());
        if (expired.empty())
            continue;
        lock.unlock();
        for (auto &env : expired)
            env->shutdown();
        lock.lock();
    }
}

} // namespace lambdesk::engine
