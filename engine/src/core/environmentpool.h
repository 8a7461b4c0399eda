#pragma once
// Warm execution environments and concurrency accounting. An invoke first takes a slot (per
// function reserved concurrency, then the account limit; else 429), then a warm environment of the
// same function generation, or makes a cold one. Idle environments expire after idleTimeout.

#include "core/environment.h"
#include "lambdesk/engine/result.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lambdesk::engine {

class EnvironmentPool;

// A reserved unit of concurrency; returned to the pool when destroyed.
class ConcurrencySlot {
public:
    ConcurrencySlot(EnvironmentPool *pool, std::string functionName);
    ~ConcurrencySlot();
    ConcurrencySlot(ConcurrencySlot &&other) noexcept;
    ConcurrencySlot(const ConcurrencySlot &) = delete;
    ConcurrencySlot &operator=(const ConcurrencySlot &) = delete;
    ConcurrencySlot &operator=(ConcurrencySlot &&) = delete;

private:
    EnvironmentPool *m_pool;
    std::string m_functionName;
};

class EnvironmentPool {
public:
    EnvironmentPool(std::chrono::milliseconds idleTimeout, int accountConcurrency);
    ~EnvironmentPool(); // shuts every environment down

    // TooManyRequests when the function's reserved concurrency or the account limit is in use.
    Result<ConcurrencySlot> reserve(const std::string &functionName, std::optional<int> reserved);
    // A warm idle environment of exactly this generation, or null. Stale idle ones are retired.
    std::shared_ptr<ExecutionEnvironment> takeIdle(const EnvironmentIdentity &identity);
    // Back to the idle list when still reusable and current; shut down otherwise.
    void release(std::shared_ptr<ExecutionEnvironment> env);
    // Shuts down idle environments of the function; busy ones are dropped when released.
    void retire(const std::string &functionName);
    // A new environment, so that shutdownAll() reaches it while it is busy.
    void track(const std::shared_ptr<ExecutionEnvironment> &env);
    // Every environment, idle or busy: invocations in flight end as failed. Afterwards reserve()
    // refuses new invocations.
    void shutdownAll();
    std::uint64_t epoch(const std::string &functionName) const;

    int idleCount() const;
    int busyCount() const;

private:
    friend class ConcurrencySlot;
    void releaseSlot(const std::string &functionName);
    void reapLoop();
    static bool sameGeneration(const EnvironmentIdentity &a, const EnvironmentIdentity &b);

    const std::chrono::milliseconds m_idleTimeout;
    const int m_accountConcurrency;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::vector<std::shared_ptr<ExecutionEnvironment>> m_idle;
    std::vector<std::weak_ptr<ExecutionEnvironment>> m_live; // pruned as environments go
    bool m_closed = false;
    std::map<std::string, int> m_busyByFunction;
    std::map<std::string, std::uint64_t> m_epochs; // bumped by retire()
    int m_busyTotal = 0;
    std::thread m_reaper;
};

} // namespace lambdesk::engine
