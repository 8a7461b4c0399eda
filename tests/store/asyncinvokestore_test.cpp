// The durable queue behind asynchronous invocation, and the event invoke configs: an event is
// claimed by one worker at a time until it is rescheduled, settled or its lease runs out; a
// reopened store frees what a dead process had taken; configs go with their function.
#include "storefixture.h"

#include "store/asyncinvokestore.h"

namespace lambdesk::engine::test {
namespace {

constexpr std::int64_t kLease = 1000;

class AsyncInvokeStoreTest : public StoreWithFunction {
protected:
    AsyncInvokeStore &queue() { return m_store->asyncInvocations(); }

    std::int64_t enqueue(std::int64_t dueMs, const std::string &requestId = "r")
    {
        AsyncEvent event;
        event.requestId = requestId;
        event.functionName = "orders";
        event.payload = R"({"id": 1})";
        event.receivedMs = dueMs;
        event.dueMs = dueMs;
        auto seq = queue().enqueue(event);
        EXPECT_TRUE(seq.ok());
        return seq.ok() ? *seq : 0;
    }
};

TEST_F(AsyncInvokeStoreTest, ClaimsAnEventOnceUntilItsLeaseRunsOut)
{
    const std::int64_t seq = enqueue(100);
    EXPECT_FALSE(*queue().claimDue(99, kLease)) << "not due yet";
    auto claimed = queue().claimDue(100, kLease);
    ASSERT_TRUE(claimed.ok() && *claimed);
    EXPECT_EQ((*claimed)->seq, seq);
    EXPECT_EQ((*claimed)->payload, R"({"id": 1})");
    EXPECT_FALSE(*queue().claimDue(500, kLease)) << "taken by its worker";
    EXPECT_EQ(**queue().nextDue(), 100 + kLease);
    auto again = queue().claimDue(100 + kLease, kLease);
    ASSERT_TRUE(again.ok() && *again) << "a lease that ran out is taken back";
    EXPECT_EQ((*again)->seq, seq);
}

TEST_F(AsyncInvokeStoreTest, RescheduleKeepsCountsAndTheLastAnswerThenSettleRemoves)
{
    enqueue(100);
    AsyncEvent event = **queue().claimDue(100, kLease);
    event.attempts = 1;
    event.throttles = 2;
    event.dueMs = 700;
    event.lastVersion = "$LATEST";
    event.lastFunctionError = "Unhandled";
    event.lastResponse = R"({"errorMessage": "boom"})";
    ASSERT_TRUE(queue().reschedule(event).ok());
    EXPECT_EQ(**queue().nextDue(), 700);
    EXPECT_FALSE(*queue().claimDue(699, kLease));
    const AsyncEvent back = **queue().claimDue(700, kLease);
    EXPECT_EQ(back.attempts, 1);
    EXPECT_EQ(back.throttles, 2);
    EXPECT_EQ(back.lastFunctionError, "Unhandled");
    EXPECT_EQ(back.lastResponse, R"({"errorMessage": "boom"})");
    EXPECT_EQ(*queue().pending("orders"), 1u);
    ASSERT_TRUE(queue().settle(back.seq).ok());
    EXPECT_EQ(*queue().pending("orders"), 0u);
    EXPECT_FALSE(*queue().nextDue());
}

TEST_F(AsyncInvokeStoreTest, AReopenedStoreFreesWhatADeadProcessHadTaken)
{
    enqueue(100, "first");
    enqueue(100, "second");
    ASSERT_TRUE(*queue().claimDue(100, kLease));
    m_store.reset();
    auto reopened = FunctionStore::open({m_dir.path()});
    ASSERT_TRUE(reopened) << reopened.error().message;
    m_store = std::move(*reopened);
    auto first = queue().claimDue(100, kLease);
    ASSERT_TRUE(first.ok() && *first);
    EXPECT_EQ((*first)->requestId, "first") << "oldest first, taken again after the restart";
}

TEST_F(AsyncInvokeStoreTest, ConfigsAreKeptPerQualifierAndGoWithTheirFunction)
{
    EventInvokeConfig config;
    config.functionName = "orders";
    config.qualifier = "$LATEST";
    config.maximumRetryAttempts = 0;
    config.onFailure = "arn:aws:sqs:us-east-1:000000000000:dlq";
    ASSERT_TRUE(queue().putConfig(config).ok());
    config.qualifier = "live";
    config.maximumRetryAttempts.reset();
    ASSERT_TRUE(queue().putConfig(config).ok());
    auto latest = queue().config("orders", "$LATEST");
    ASSERT_TRUE(latest.ok() && *latest);
    EXPECT_EQ((*latest)->maximumRetryAttempts, 0);
    EXPECT_EQ((*latest)->onFailure, "arn:aws:sqs:us-east-1:000000000000:dlq");
    EXPECT_FALSE((*queue().config("orders", "live"))->maximumRetryAttempts.has_value());
    EXPECT_EQ(queue().listConfigs("orders")->size(), 2u);
    EXPECT_TRUE(*queue().removeConfig("orders", "live"));
    EXPECT_FALSE(*queue().removeConfig("orders", "live"));

    enqueue(100);
    ASSERT_TRUE(m_store->remove("orders", {}));
    EXPECT_TRUE(queue().listConfigs("orders")->empty());
    EXPECT_EQ(*queue().pending("orders"), 0u) << "its queued events went with it";
}

} // namespace
} // namespace lambdesk::engine::test
