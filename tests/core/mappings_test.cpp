// Event source mappings through the Engine facade, with real functions on a clock the test moves:
// a batch reaches the function as Lambda's SQS event and is deleted once handled; a failed batch
// or the items ReportBatchItemFailures names come back after the visibility timeout and end in
// the dead-letter queue; an unreadable answer fails the whole batch; filters drop what they
// reject without invoking; and the API's rules hold.
#include "enginefixture.h"

#include "triggers/eventpattern.h"
#include "triggers/sqsevent.h"

#include <nlohmann/json.hpp>

#include <atomic>

namespace lambdesk::engine::testing {
namespace {

constexpr std::int64_t kStart = 1'796'551'200'000; // 2026-12-06T10:00:00Z

// Fails the records whose body is "bad", reports them, and logs every record it saw.
constexpr const char *kPartialHandler = R"(import json
def handler(event, context):
    failures = []
    for record in event["Records"]:
        print("RECORD " + json.dumps(record))
        if record["body"] == "bad":
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
)";

class Mappings : public EngineFixture {
protected:
    EngineOptions engineOptions() override
    {
        EngineOptions options = EngineFixture::engineOptions();
        options.clock = [this] { return m_now.load(); };
        return options;
    }

    void send(const std::string &queue, const std::string &body)
    {
        QueueMessageInput input;
        input.body = body;
        ASSERT_TRUE(engine->sendMessage(queue, input).ok());
    }

    std::string count(const std::string &queue, const std::string &attribute)
    {
        auto attributes = engine->getQueueAttributes(queue, {attribute});
        return attributes.ok() ? attributes->at(attribute) : "?";
    }

    // Waits until the queue holds `visible` visible and `inFlight` received messages.
    bool waitForCounts(const std::string &queue, const std::string &visible,
                       const std::string &inFlight)
    {
        return waitUntil([&] {
            return count(queue, "ApproximateNumberOfMessages") == visible &&
                   count(queue, "ApproximateNumberOfMessagesNotVisible") == inFlight;
        });
    }

    std::vector<nlohmann::json> recordsSeen(const std::string &function)
    {
        InvocationQuery query;
        query.functionName = function;
        query.withLogs = true;
        std::vector<nlohmann::json> records;
        for (const auto &record : engine->listInvocations(query)) {
            EXPECT_EQ(record.source, kInvocationSourceQueue);
            std::size_t at = 0;
            while ((at = record.log.find("RECORD ", at)) != std::string::npos) {
                const auto end = record.log.find('\n', at);
                records.push_back(nlohmann::json::parse(record.log.substr(at + 7, end - at - 7)));
                at = end;
            }
        }
        return records;
    }

    EventSourceMapping map(const std::string &function, const std::string &queue,
                           EventSourceMappingInput input = {})
    {
        input.functionName = function;
        input.eventSourceArn = engine->queueArn(queue);
        auto mapping = engine->createEventSourceMapping(input);
        EXPECT_TRUE(mapping.ok()) << mapping.error().message;
        return mapping.ok() ? *mapping : EventSourceMapping{};
    }

    std::atomic<std::int64_t> m_now{kStart};
};

TEST_F(Mappings, ABatchArrivesAsTheSqsEventAndIsDeletedOnceHandled)
{
    makePython("consumer", kPartialHandler);
    ASSERT_TRUE(engine->createQueue("orders").ok());
    send("orders", R"({"id": 1})");
    send("orders", R"({"id": 2})");
    const EventSourceMapping mapping = map("consumer", "orders");
    EXPECT_EQ(mapping.state, kMappingCreating);
    EXPECT_EQ(mapping.batchSize, 10);
    ASSERT_TRUE(waitForCounts("orders", "0", "0"));

    const auto records = recordsSeen("consumer");
    ASSERT_EQ(records.size(), 2U);
    const auto &record = records[0];
    EXPECT_EQ(record["eventSource"], "aws:sqs");
    EXPECT_EQ(record["eventSourceARN"], engine->queueArn("orders"));
    EXPECT_EQ(record["awsRegion"], "us-east-1");
    EXPECT_EQ(record["attributes"]["ApproximateReceiveCount"], "1");
    EXPECT_TRUE(record.contains("receiptHandle"));
    EXPECT_TRUE(record.contains("md5OfBody"));
    EXPECT_EQ(engine->getEventSourceMapping(mapping.uuid)->state, kMappingEnabled);
}

TEST_F(Mappings, ReportedFailuresComeBackAndEndInTheDeadLetterQueue)
{
    makePython("consumer", kPartialHandler);
    ASSERT_TRUE(engine->createQueue("orders-dlq").ok());
    const std::string redrive = R"({"deadLetterTargetArn":")" + engine->queueArn("orders-dlq") +
                                R"(","maxReceiveCount":2})";
    ASSERT_TRUE(engine->createQueue("orders", {{"RedrivePolicy", redrive}}).ok());
    send("orders", "good");
    send("orders", "bad");
    EventSourceMappingInput input;
    input.functionResponseTypes = std::vector<std::string>{kReportBatchItemFailures};
    map("consumer", "orders", input);
    // "good" is gone; "bad" waits out its visibility timeout (30 s, the queue's default).
    ASSERT_TRUE(waitForCounts("orders", "0", "1"));
    m_now += 30'000;
    ASSERT_TRUE(waitUntil([&] { return recordsSeen("consumer").size() == 3; }));
    ASSERT_TRUE(waitForCounts("orders", "0", "1"));
    m_now += 30'000; // received twice: the next receive moves it
    ASSERT_TRUE(waitForCounts("orders-dlq", "1", "0"));
    EXPECT_EQ(count("orders", "ApproximateNumberOfMessages"), "0");
    const auto records = recordsSeen("consumer");
    EXPECT_EQ(records.back()["body"], "bad");
    EXPECT_EQ(records.back()["attributes"]["ApproximateReceiveCount"], "2");
}

TEST_F(Mappings, AnUnknownItemIdentifierFailsTheWholeBatch)
{
    makePython("liar", R"(def handler(event, context):
    return {"batchItemFailures": [{"itemIdentifier": "not-a-message-id"}]}
)");
    ASSERT_TRUE(engine->createQueue("q").ok());
    send("q", "one");
    send("q", "two");
    EventSourceMappingInput input;
    input.functionResponseTypes = std::vector<std::string>{kReportBatchItemFailures};
    input.batchSize = 2;
    map("liar", "q", input);
    ASSERT_TRUE(waitForCounts("q", "0", "2")); // both kept, in flight until the timeout
}

TEST_F(Mappings, AFunctionErrorKeepsTheBatchAndFiltersDropWhatTheyReject)
{
    makePython("crash", "def handler(event, context):\n    raise ValueError('no')\n");
    ASSERT_TRUE(engine->createQueue("q").ok());
    send("q", R"({"kind": "order", "total": 12})");
    send("q", R"({"kind": "refund"})");
    send("q", "not json");
    EventSourceMappingInput input;
    input.filterPatterns = std::vector<std::string>{
        R"({"body": {"kind": ["order"], "total": [{"numeric": [">", 10]}]}})"};
    map("crash", "q", input);
    // The two the filter rejects are deleted; the order failed and stays in flight.
    ASSERT_TRUE(waitForCounts("q", "0", "1"));
}

TEST_F(Mappings, TheApiRulesHold)
{
    makePython("slow", "def handler(event, context):\n    return 1\n", 60);
    makePython("quick", "def handler(event, context):\n    return 1\n");
    ASSERT_TRUE(engine->createQueue("q").ok());
    EventSourceMappingInput input;
    input.functionName = "slow";
    input.eventSourceArn = engine->queueArn("q");
    const auto visibility = engine->createEventSourceMapping(input);
    ASSERT_FALSE(visibility.ok());
    EXPECT_EQ(visibility.error().message,
              "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds");

    input.functionName = "quick";
    input.batchSize = 11;
    const auto window = engine->createEventSourceMapping(input);
    ASSERT_FALSE(window.ok());
    EXPECT_NE(window.error().message.find("Maximum batch window"), std::string::npos);
    input.batchSize.reset();
    input.eventSourceArn = "arn:aws:kinesis:us-east-1:000000000000:stream/s";
    EXPECT_EQ(engine->createEventSourceMapping(input).error().code, ErrorCode::InvalidParameter);
    input.eventSourceArn = engine->queueArn("missing");
    EXPECT_EQ(engine->createEventSourceMapping(input).error().code, ErrorCode::InvalidParameter);
    input.eventSourceArn = engine->queueArn("q");
    input.filterPatterns = std::vector<std::string>{R"({"body": "not an array"})"};
    EXPECT_EQ(engine->createEventSourceMapping(input).error().code, ErrorCode::InvalidParameter);
    input.filterPatterns.reset();

    const auto first = engine->createEventSourceMapping(input);
    ASSERT_TRUE(first.ok()) << first.error().message;
    const auto twice = engine->createEventSourceMapping(input);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::Conflict);

    EventSourceMappingInput disable;
    disable.enabled = false;
    disable.batchSize = 5;
    const auto updated = engine->updateEventSourceMapping(first->uuid, disable);
    ASSERT_TRUE(updated.ok());
    EXPECT_EQ(updated->state, kMappingUpdating);
    EXPECT_EQ(engine->getEventSourceMapping(first->uuid)->state, kMappingDisabled);
    EXPECT_EQ(engine->getEventSourceMapping(first->uuid)->batchSize, 5);
    EXPECT_EQ(engine->listEventSourceMappings("quick")->size(), 1U);
    EXPECT_EQ(engine->deleteEventSourceMapping(first->uuid)->state, kMappingDeleting);
    EXPECT_EQ(engine->getEventSourceMapping(first->uuid).error().code, ErrorCode::NotFound);
}

TEST(EventPatterns, MatchAsEventBridgeDoes)
{
    const auto pattern = triggers::EventPattern::parse(
        R"({"body": {"kind": ["order", {"prefix": "ord-"}], "note": [{"exists": false}],
            "total": [{"numeric": [">=", 10, "<", 100]}], "city": [{"anything-but": ["Oslo"]}]}})");
    ASSERT_TRUE(pattern.ok()) << pattern.error().message;
    const auto event = [](const std::string &body) {
        return nlohmann::json{{"body", nlohmann::json::parse(body)}};
    };
    EXPECT_TRUE(pattern->matches(event(R"({"kind": "order", "total": 10, "city": "Bern"})")));
    EXPECT_TRUE(pattern->matches(event(R"({"kind": "ord-7", "total": 99.5, "city": "Bern"})")));
    EXPECT_FALSE(pattern->matches(event(R"({"kind": "order", "total": 100, "city": "Bern"})")));
    EXPECT_FALSE(pattern->matches(event(R"({"kind": "order", "total": 10, "city": "Oslo"})")));
    EXPECT_FALSE(
        pattern->matches(event(R"({"kind": "order", "total": 10, "note": "x", "city": "B"})")));
    EXPECT_FALSE(pattern->matches(event(R"({"kind": "refund", "total": 10, "city": "Bern"})")));
    EXPECT_FALSE(triggers::EventPattern::parse(R"({"a": [{"regex": "x"}]})").ok());
    EXPECT_FALSE(triggers::EventPattern::parse("[1]").ok());
}

TEST(BatchItemFailures, FollowLambdasRules)
{
    const std::set<std::string> ids = {"m1", "m2"};
    EXPECT_EQ(triggers::batchItemFailures("", ids), std::set<std::string>{});
    EXPECT_EQ(triggers::batchItemFailures("null", ids), std::set<std::string>{});
    EXPECT_EQ(triggers::batchItemFailures(R"({"batchItemFailures": []})", ids),
              std::set<std::string>{});
    EXPECT_EQ(
        triggers::batchItemFailures(R"({"batchItemFailures": [{"itemIdentifier": "m2"}]})", ids),
        std::set<std::string>{"m2"});
    EXPECT_FALSE(triggers::batchItemFailures("{not json", ids));
    EXPECT_FALSE(
        triggers::batchItemFailures(R"({"batchItemFailures": [{"itemIdentifier": ""}]})", ids));
    EXPECT_FALSE(
        triggers::batchItemFailures(R"({"batchItemFailures": [{"itemIdentifier": null}]})", ids));
    EXPECT_FALSE(triggers::batchItemFailures(R"({"batchItemFailures": [{"id": "m1"}]})", ids));
    EXPECT_FALSE(
        triggers::batchItemFailures(R"({"batchItemFailures": [{"itemIdentifier": "m9"}]})", ids));
}

} // namespace
} // namespace lambdesk::engine::testing
