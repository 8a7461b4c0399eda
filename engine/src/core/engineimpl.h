#pragma once
// Engine internals shared by the facade (engine.cpp), the invoke path (invoker.cpp) and the
// sandbox choice (sandboxselector.cpp).

#include "core/asyncdispatcher.h"
#include "core/datadirlock.h"
#include "core/environmentpool.h"
#include "core/queuepoller.h"
#include "lambdesk/engine/engine.h"
#include "sandbox/runtimecatalog.h"
#include "sandbox/sandbox.h"
#include "store/eventsourcemappings.h"
#include "store/functionstore.h"
#include "store/queuestore.h"
#include "triggers/folderwatcher.h"
#include "triggers/s3objectroutes.h"
#include "triggers/scheduler.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace lambdesk::engine {

// Chooses and owns the sandbox backends (created on first use; probes are cached by them).
class SandboxSelector {
public:
    SandboxSelector(std::string defaultChoice, std::filesystem::path cacheDir);
    // The backend for a function: its `lambdesk:sandbox` tag, else the engine default; `auto`
    // resolves to microvm with working KVM, else process. Unsupported when the choice cannot run.
    Result<SandboxBackend *> backendFor(const std::map<std::string, std::string> &tags);
    // Name the function would run on, never blocking: "auto" while the microvm probe still runs.
    std::string resolvedName(const std::map<std::string, std::string> &tags);
    std::vector<Availability> availability();
    std::string resolvedDefault();
    void forgetProbes();
    const std::filesystem::path &cacheDir() const { return m_cacheDir; }
    // Starts deciding `auto` in the background (a probe boot can take seconds under TCG).
    void startAutoProbe();
    ~SandboxSelector();

private:
    SandboxBackend &backend(const std::string &name);
    std::string resolveAuto(); // blocks until decided

    std::string m_default;
    std::filesystem::path m_cacheDir;
    std::mutex m_mutex;        // m_backends only; never held during a probe
    std::map<std::string, std::unique_ptr<SandboxBackend>> m_backends;
    std::mutex m_autoMutex;    // serialises the decision
    std::mutex m_autoValueMutex;
    std::string m_autoChoice;
    std::thread m_autoProbe;
};

// The function and the qualifier an operation acts on: the one given apart, else the name's own
// ("orders:live"); the REST API has already checked that the two agree. (enginepolicy.cpp)
Result<FunctionRef> qualifiedRef(const std::string &functionName, const std::string &qualifier);

// Also the folder buckets' directory the environments' object API looks buckets up in.
struct Engine::Impl final : triggers::BucketDirectory {
    EngineOptions options;
    DataDirLock lock;
    std::unique_ptr<FunctionStore> store;
    std::unique_ptr<RuntimeCatalog> catalog;
    std::unique_ptr<SandboxSelector> sandboxes;
    std::unique_ptr<EnvironmentPool> pool;

    // Splits an alias's invocations between its versions: a draw in [0, 1) per invoke.
    std::mutex routingMutex;
    std::mt19937_64 routing;
    double routingDraw();

    std::mutex observersMutex;
    std::map<int, InvocationObserver> observers;
    int nextObserverId = 1;

    // The durable queue behind InvocationType Event (asyncinvocations.cpp): its workers run
    // and retry events and send their records on; last, so stopped first on destruction.
    std::unique_ptr<AsyncDispatcher> asyncDispatcher;

    std::atomic<int> functionUrlPort{0}; // where FunctionUrlServer serves; 0 until it starts

    // After asyncDispatcher: destroyed (stopped) first, so no fire queues behind a stopped one.
    std::unique_ptr<triggers::Scheduler> scheduler;
    std::mutex schedulesMutex; // refreshSchedules: one store read and hand-over at a time

    // Schedules (engineschedules.cpp).
    std::int64_t now() const; // EngineOptions::clock, else the system's
    void decorate(ScheduleRule &rule) const;
    Result<ScheduleRule> existingRule(const std::string &name);
    void refreshSchedules(); // after any rule change: the scheduler follows the store
    bool targetPermitted(const ScheduleRule &rule, const std::string &targetArn);
    void fireSchedule(const triggers::ScheduledFire &fire);
    void startSchedules();

    // Folder buckets (enginefolders.cpp): one watcher per folder an enabled trigger names.
    std::mutex foldersMutex; // watchers
    std::map<std::string, std::unique_ptr<triggers::FolderWatcher>> watchers;
    std::atomic<std::uint64_t> s3Sequence{0};
    void refreshFolders();
    void stopFolders();
    bool folderTriggerPermitted(const FolderTrigger &trigger);
    void onFolderChange(const std::string &folder, const triggers::FolderChange &change);
    // Where a bucket's files are, for the object API functions reach (enginebuckets.cpp).
    std::optional<std::filesystem::path> folderOf(const std::string &bucket) override;
    std::vector<FolderBucket> buckets() override;

    // Queues (enginequeues.cpp). A long poll waits on queueWake; every change to a queue's
    // messages bumps queueGeneration.
    std::mutex queueWaitMutex;
    std::condition_variable queueWake;
    std::uint64_t queueGeneration = 0;
    bool queueWaitsStopped = false;
    void queuesChanged();
    void stopQueueWaits();
    std::string queueArn(const std::string &name) const;
    Result<StoredQueue> existingQueue(const std::string &name);
    Result<SentMessage> sendMessage(const std::string &queue, const QueueMessageInput &input);
    // A queue named by its ARN, as destinations and dead-letter configs name it.
    Result<SentMessage> sendToQueueArn(const std::string &arn, const QueueMessageInput &input);
    Result<QueueAttributes> checkedAttributes(const std::string &queue,
                                              const QueueAttributes &attributes);
    Result<std::vector<ReceivedMessage>> receiveOnce(const StoredQueue &queue,
                                                     const ReceiveOptions &receive);
    // Waits up to `wait` for a first message; also ends, empty, once *stopping is set and
    // queueWake notified.
    Result<std::vector<ReceivedMessage>> receiveWaiting(StoredQueue queue,
                                                        const ReceiveOptions &options,
                                                        std::chrono::milliseconds wait,
                                                        const std::atomic<bool> *stopping);

    // Event source mappings (enginemappings.cpp, mappingworker.cpp): pollers per enabled
    // mapping, following the store after every change.
    std::mutex mappingsMutex; // pollers
    std::map<std::string, std::unique_ptr<QueuePoller>> pollers;
    void refreshMappings();
    void stopMappings(bool wait); // wait: join the pollers; else only ask them to stop
    void decorate(EventSourceMapping &mapping) const;
    void runMappingWorker(const std::string &uuid, const std::atomic<bool> &stopping);

    Result<InvokeResult> invoke(const InvokeRequest &request);
    struct InvocationOrigin {
        std::string type;   // RequestResponse | Event
        std::string source; // InvokeRequest::source
    };
    // An invocation that never reached an environment (a throttle), as the Monitor lists it.
    static InvocationRecord notRunRecord(const StoredFunction &function,
                                         const std::string &requestId,
                                         const InvocationOrigin &origin, InvocationStatus status,
                                         const std::string &errorType);

    // Asynchronous invocation (asyncinvocations.cpp, eventinvokeconfigs.cpp).
    // `qualifier` as invoked ("" for $LATEST): an alias picks its version at every attempt.
    Result<InvokeResult> enqueueAsync(const InvokeRequest &request, const std::string &function,
                                      const std::string &qualifier, const std::string &requestId,
                                      const std::string &clientContext);
    void runAsyncEvent(AsyncEvent event);
    // Back in the queue for `delayMs` (scaled, at least 1 ms, never past the event's maximum age).
    void rescheduleAsyncEvent(AsyncEvent &event, std::int64_t delayMs, std::int64_t maxAgeMs);
    // Done with: its record to the destination for `condition` (kCondition*), a failed event to
    // the function's dead-letter queue.
    void settleAsyncEvent(const AsyncEvent &event, const std::string &deadLetterQueue,
                          const EventInvokeConfig &settings, const char *condition);
    void deliverInvocationRecord(const std::string &destination, const std::string &record,
                                 int hops);
    Result<EventInvokeConfig> asyncSettings(const std::string &function,
                                            const std::string &qualifier);
    Result<void> checkDestination(const std::string &arn); // a function or queue of this engine
    Result<void> checkDestinations(const EventInvokeConfigInput &input); // those it sets
    // "" (none) or a queue of this engine; the ARN's form is validateConfig's to judge.
    Result<void> checkDeadLetterQueue(const std::string &arn);
    std::string qualifiedArn(const std::string &function, const std::string &qualifier) const;
    InvokeResult runSynchronously(const StoredFunction &function, const std::string &requestId,
                                  const std::string &payload, const std::string &clientContext,
                                  const InvocationOrigin &origin, std::int64_t startTimeMs,
                                  ConcurrencySlot slot,
                                  const std::shared_ptr<ResponseStream> &stream = {});
    void record(const InvocationRecord &record);
    // FunctionUrlInfo.functionUrl: the store keeps the id, only the engine knows where URLs are
    // served (the port can differ from run to run).
    void decorate(FunctionUrlInfo &url) const;
    Result<FunctionUrlInfo> decorated(Result<FunctionUrlInfo> url) const;
    void decorate(FunctionInfo &info);
    Result<StoredFunction> decorate(Result<StoredFunction> stored);
};

} // namespace lambdesk::engine
