#pragma once
// Asynchronous invocation in SQLite: the event queue behind InvocationType Event (an event is
// stored before Invoke answers 202 and leaves only once settled, so a restart or a SIGKILL loses
// none) and the event invoke configs. Both go with their function. The rules (retries, age,
// destinations) are the engine's; this keeps what it is given.
//
// Thread-safe, with a connection and a lock of its own.

#include "lambdesk/engine/asyncinvoke.h"
#include "lambdesk/engine/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

struct AsyncEvent {
    std::int64_t seq = 0; // assigned by enqueue
    std::string requestId;
    std::string functionName;
    std::string qualifier; // as invoked: "" ($LATEST), a version or an alias
    std::string payload;
    std::string clientContext;
    std::string source;          // InvokeRequest::source of the first attempt
    std::int64_t receivedMs = 0; // when Invoke accepted it: the event's age counts from here
    int attempts = 0;            // times the function ran it
    int throttles = 0;           // times it could not run (no concurrency free, store busy)
    std::int64_t dueMs = 0;      // not run before this
    int hops = 0;                // destinations it passed through: an invocation record's count
    // The last attempt's answer, for the record of an event that then grows too old.
    std::string lastVersion; // "" while the function never ran it
    std::string lastFunctionError;
    std::string lastResponse;
};

class AsyncInvokeStore {
public:
    // Events a previous process had taken and not settled are due again: at least once.
    static Result<std::unique_ptr<AsyncInvokeStore>> open(const std::filesystem::path &database);
    ~AsyncInvokeStore();
    AsyncInvokeStore(const AsyncInvokeStore &) = delete;
    AsyncInvokeStore &operator=(const AsyncInvokeStore &) = delete;

    Result<std::int64_t> enqueue(const AsyncEvent &event);
    // The earliest event due at `nowMs`, taken for `leaseMs`: no other claim returns it until it
    // is rescheduled, the lease runs out (its worker failed to settle it) or the store is opened
    // again.
    Result<std::optional<AsyncEvent>> claimDue(std::int64_t nowMs, std::int64_t leaseMs);
    // When the earliest event can next be claimed; nothing when none waits.
    Result<std::optional<std::int64_t>> nextDue();
    // Back in the queue with the event's new counts and due time.
    Result<void> reschedule(const AsyncEvent &event);
    Result<void> settle(std::int64_t seq); // done with: delivered, or given up on
    Result<std::size_t> pending(const std::string &functionName);

    // Inserts or replaces by function and qualifier. functionArn is not kept.
    Result<void> putConfig(const EventInvokeConfig &config);
    Result<std::optional<EventInvokeConfig>> config(const std::string &functionName,
                                                    const std::string &qualifier);
    Result<std::vector<EventInvokeConfig>> listConfigs(const std::string &functionName);
    Result<bool> removeConfig(const std::string &functionName, const std::string &qualifier);

private:
    struct Impl;
    explicit AsyncInvokeStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
