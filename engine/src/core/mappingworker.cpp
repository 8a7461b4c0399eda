// One poller thread of an event source mapping, as Lambda polls SQS: collect a batch (up to
// BatchSize, for up to MaximumBatchingWindowInSeconds), drop what the filters reject (Lambda
// deletes those), invoke the function synchronously with the SQS event, then delete what it
// handled. Anything not deleted returns to the queue after its visibility timeout, so a batch
// in flight when the engine dies is delivered again, never lost.
#include "core/engineimpl.h"
#include "triggers/eventpattern.h"
#include "triggers/sqsevent.h"

#include <cstdio>
#include <set>

namespace lambdesk::engine {

namespace {

using Steady = std::chrono::steady_clock;
constexpr auto kLongestPoll = std::chrono::seconds(20);

} // namespace

void Engine::Impl::runMappingWorker(const std::string &uuid, const std::atomic<bool> &stopping)
{
    // The mapping is read again for every batch (an update applies to the next one); its filters
    // are parsed again only when they changed.
    std::vector<std::string> filtersParsedFrom;
    std::vector<triggers::EventPattern> filters;
    while (!stopping) {
        auto stored = store->eventSourceMappings().get(uuid);
        if (!stored || !*stored || !(*stored)->enabled)
            return; // deleted or disabled: refreshMappings retires this poller
        const EventSourceMapping mapping = std::move(**stored);
        const auto queueName = queueNameFromUrlOrArn(mapping.eventSourceArn);
        auto queue = queueName ? existingQueue(*queueName) : Result<StoredQueue>(Error{});
        if (!queue) { // the queue is gone: wait for a change rather than spin
            std::unique_lock lock(queueWaitMutex);
            queueWake.wait_for(lock, std::chrono::seconds(1),
                               [&] { return stopping || queueWaitsStopped; });
            continue;
        }

        // A window collects until it ends or the batch is full; without one, the first
        // receive that brings anything is the batch.
        std::vector<ReceivedMessage> batch;
        const auto window = std::chrono::seconds(mapping.maximumBatchingWindowSeconds);
        const auto windowEnd = Steady::now() + window;
        while (!stopping && static_cast<int>(batch.size()) < mapping.batchSize) {
            ReceiveOptions options;
            options.maxMessages = std::min(kMaxMessagesPerReceive,
                                           mapping.batchSize - static_cast<int>(batch.size()));
            std::chrono::milliseconds wait = kLongestPoll;
            if (window.count() > 0) {
                wait = std::chrono::duration_cast<std::chrono::milliseconds>(windowEnd -
                                                                             Steady::now());
                if (wait.count() <= 0)
                    break;
            }
            auto got =
                receiveWaiting(*queue, options,
                               std::min(wait, std::chrono::milliseconds(kLongestPoll)), &stopping);
            if (!got)
                break;
            for (ReceivedMessage &message : *got)
                batch.push_back(std::move(message));
            if (window.count() == 0 && !batch.empty())
                break;
        }
        if (batch.empty())
            continue;
        if (stopping) // received but not run: visible again after the timeout, as after a crash
            return;

        if (mapping.filterPatterns != filtersParsedFrom) {
            filters.clear();
            for (const std::string &pattern : mapping.filterPatterns)
                if (auto parsed = triggers::EventPattern::parse(pattern))
                    filters.push_back(std::move(*parsed));
            filtersParsedFrom = mapping.filterPatterns;
        }
        const std::string queueArnText = queueArn(queue->name);
        std::vector<nlohmann::json> records;
        std::vector<const ReceivedMessage *> delivered;
        for (const ReceivedMessage &message : batch) {
            nlohmann::json record = triggers::sqsRecord(message, queueArnText, options.region);
            const nlohmann::json view = triggers::sqsFilterView(record);
            const bool wanted =
                filters.empty() || std::any_of(filters.begin(), filters.end(),
                                               [&view](const auto &f) { return f.matches(view); });
            if (!wanted) {
                (void)store->queues().deleteByReceipt(queue->name, message.receiptHandle);
                continue;
            }
            records.push_back(std::move(record));
            delivered.push_back(&message);
        }
        if (records.empty())
            continue;

        InvokeRequest request;
        request.functionName = mapping.functionName;
        request.qualifier = mapping.qualifier;
        request.payload = triggers::sqsEvent(records);
        request.source = std::string(kInvocationSourceQueue);
        const auto result = invoke(request);
        if (!result || result->functionError) {
            if (!result)
                std::fprintf(stderr, "lambdesk: mapping %s could not invoke %s: %s\n", uuid.c_str(),
                             mapping.functionName.c_str(), result.error().message.c_str());
            continue; // the whole batch returns after its visibility timeout
        }
        std::set<std::string> failed;
        const bool partial =
            std::find(mapping.functionResponseTypes.begin(), mapping.functionResponseTypes.end(),
                      kReportBatchItemFailures) != mapping.functionResponseTypes.end();
        if (partial) {
            std::set<std::string> ids;
            for (const ReceivedMessage *message : delivered)
                ids.insert(message->messageId);
            auto reported = triggers::batchItemFailures(result->payload, ids);
            if (!reported)
                continue; // an answer Lambda cannot read fails the whole batch
            failed = std::move(*reported);
        }
        for (const ReceivedMessage *message : delivered)
            if (!failed.contains(message->messageId))
                (void)store->queues().deleteByReceipt(queue->name, message->receiptHandle);
    }
}

} // namespace lambdesk::engine
