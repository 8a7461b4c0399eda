// Queues through the Engine facade, on a clock the test moves: visibility timeouts, delays,
// redrive to a dead-letter queue, receipt handles, CreateQueue's idempotence, long polling, and
// messages surviving a restart (a receive in flight when the engine stops comes back).
#include "enginefixture.h"

#include <atomic>
#include <future>

namespace lambdesk::engine::testing {
namespace {

constexpr std::int64_t kStart = 1'796'551'200'000; // 2026-12-06T10:00:00Z

class Queues : public EngineFixture {
protected:
    EngineOptions engineOptions() override
    {
        EngineOptions options = EngineFixture::engineOptions();
        options.clock = [this] { return m_now.load(); };
        return options;
    }

    void advanceSeconds(int seconds) { m_now += std::int64_t{seconds} * 1000; }

    SentMessage send(const std::string &queue, const std::string &body)
    {
        QueueMessageInput input;
        input.body = body;
        auto sent = engine->sendMessage(queue, input);
        EXPECT_TRUE(sent.ok()) << sent.error().message;
        return sent.ok() ? *sent : SentMessage{};
    }

    std::vector<ReceivedMessage> receive(const std::string &queue, int max = 10)
    {
        ReceiveOptions options;
        options.maxMessages = max;
        options.waitSeconds = 0;
        auto received = engine->receiveMessages(queue, options);
        EXPECT_TRUE(received.ok()) << received.error().message;
        return received.ok() ? *received : std::vector<ReceivedMessage>{};
    }

    std::string attribute(const std::string &queue, const std::string &name)
    {
        auto attributes = engine->getQueueAttributes(queue, {name});
        EXPECT_TRUE(attributes.ok()) << attributes.error().message;
        return attributes.ok() && attributes->contains(name) ? attributes->at(name) : "";
    }

    // A 20 s ReceiveMessage on its own thread, seen still waiting a moment later.
    std::future<Result<std::vector<ReceivedMessage>>> startLongPoll(const std::string &queue)
    {
        auto poll = std::async(std::launch::async, [this, queue] {
            ReceiveOptions options;
            options.waitSeconds = 20;
            return engine->receiveMessages(queue, options);
        });
        EXPECT_EQ(poll.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
        return poll;
    }

    std::atomic<std::int64_t> m_now{kStart};
};

TEST_F(Queues, AReceivedMessageHidesForItsVisibilityTimeoutThenReturns)
{
    ASSERT_TRUE(engine->createQueue("jobs", {{"VisibilityTimeout", "30"}}).ok());
    const SentMessage sent = send("jobs", "hello");
    EXPECT_EQ(sent.md5OfBody, "5d41402abc4b2a76b9719d911017c592"); // md5("hello")

    auto first = receive("jobs");
    ASSERT_EQ(first.size(), 1U);
    EXPECT_EQ(first[0].body, "hello");
    EXPECT_EQ(first[0].messageId, sent.messageId);
    EXPECT_EQ(first[0].systemValues.at("ApproximateReceiveCount"), "1");
    EXPECT_TRUE(receive("jobs").empty());
    EXPECT_EQ(attribute("jobs", "ApproximateNumberOfMessagesNotVisible"), "1");

    advanceSeconds(29);
    EXPECT_TRUE(receive("jobs").empty());
    advanceSeconds(1);
    auto second = receive("jobs");
    ASSERT_EQ(second.size(), 1U);
    EXPECT_EQ(second[0].systemValues.at("ApproximateReceiveCount"), "2");
    EXPECT_NE(second[0].receiptHandle, first[0].receiptHandle);

    // The older handle no longer deletes; the latest does.
    EXPECT_TRUE(engine->deleteMessage("jobs", first[0].receiptHandle).ok());
    EXPECT_EQ(attribute("jobs", "ApproximateNumberOfMessagesNotVisible"), "1");
    EXPECT_TRUE(engine->deleteMessage("jobs", second[0].receiptHandle).ok());
    EXPECT_EQ(attribute("jobs", "ApproximateNumberOfMessagesNotVisible"), "0");
    advanceSeconds(60);
    EXPECT_TRUE(receive("jobs").empty());
}

TEST_F(Queues, AZeroVisibilityTimeoutStillDeliversAMessageOncePerReceive)
{
    ASSERT_TRUE(engine->createQueue("instant", {{"VisibilityTimeout", "0"}}).ok());
    send("instant", "only one");
    const auto got = receive("instant", 10);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].systemValues.at("ApproximateReceiveCount"), "1");
    EXPECT_EQ(receive("instant", 10).size(), 1U); // and visible again at once
}

TEST_F(Queues, DelayedMessagesWaitAndCountAsDelayed)
{
    ASSERT_TRUE(engine->createQueue("later", {{"DelaySeconds", "10"}}).ok());
    send("later", "queue delay");
    QueueMessageInput input;
    input.body = "own delay";
    input.delaySeconds = 0;
    ASSERT_TRUE(engine->sendMessage("later", input).ok());
    EXPECT_EQ(attribute("later", "ApproximateNumberOfMessagesDelayed"), "1");
    EXPECT_EQ(attribute("later", "ApproximateNumberOfMessages"), "1");
    auto now = receive("later");
    ASSERT_EQ(now.size(), 1U);
    EXPECT_EQ(now[0].body, "own delay");
    advanceSeconds(10);
    auto later = receive("later");
    ASSERT_EQ(later.size(), 1U);
    EXPECT_EQ(later[0].body, "queue delay");
}

TEST_F(Queues, ChangeVisibilityToZeroReturnsTheMessageAtOnce)
{
    ASSERT_TRUE(engine->createQueue("work").ok());
    send("work", "retry me");
    auto got = receive("work");
    ASSERT_EQ(got.size(), 1U);
    ASSERT_TRUE(engine->changeMessageVisibility("work", got[0].receiptHandle, 0).ok());
    EXPECT_EQ(receive("work").size(), 1U);

    const auto notHandle = engine->changeMessageVisibility("work", "bm90LWEtaGFuZGxl", 5);
    ASSERT_FALSE(notHandle.ok());
    EXPECT_EQ(notHandle.error().code, ErrorCode::ReceiptHandleIsInvalid);
    const auto deleted = engine->deleteMessage("work", "garbage!");
    ASSERT_FALSE(deleted.ok());
    EXPECT_EQ(deleted.error().code, ErrorCode::ReceiptHandleIsInvalid);
}

TEST_F(Queues, AMessageReceivedMaxReceiveCountTimesMovesToTheDeadLetterQueue)
{
    ASSERT_TRUE(engine->createQueue("jobs-dlq").ok());
    const std::string redrive = R"({"deadLetterTargetArn":")" + engine->queueArn("jobs-dlq") +
                                R"(","maxReceiveCount":"2"})";
    ASSERT_TRUE(
        engine->createQueue("jobs", {{"RedrivePolicy", redrive}, {"VisibilityTimeout", "5"}}).ok());
    const SentMessage sent = send("jobs", "poison");
    for (int attempt = 1; attempt <= 2; ++attempt) {
        ASSERT_EQ(receive("jobs").size(), 1U) << "attempt " << attempt;
        advanceSeconds(5);
    }
    EXPECT_TRUE(receive("jobs").empty()); // the third receive moves it instead
    auto dead = receive("jobs-dlq");
    ASSERT_EQ(dead.size(), 1U);
    EXPECT_EQ(dead[0].messageId, sent.messageId);
    EXPECT_EQ(dead[0].body, "poison");
    EXPECT_EQ(dead[0].systemValues.at("DeadLetterQueueSourceArn"), engine->queueArn("jobs"));
    // SQS gives the policy back with maxReceiveCount a number.
    EXPECT_NE(attribute("jobs", "RedrivePolicy").find(R"("maxReceiveCount":2)"), std::string::npos);
    const auto sources = engine->listDeadLetterSourceQueues("jobs-dlq");
    ASSERT_TRUE(sources.ok());
    EXPECT_EQ(*sources, std::vector<std::string>{"jobs"});
}

TEST_F(Queues, RedrivePolicyMustNameAnotherExistingQueue)
{
    const auto missing = engine->createQueue(
        "orphans", {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + engine->queueArn("nowhere") +
                                          R"(","maxReceiveCount":3})"}});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("Dead letter target does not exist"), std::string::npos);
    ASSERT_TRUE(engine->createQueue("dlq").ok());
    const auto zero = engine->createQueue(
        "orphans", {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + engine->queueArn("dlq") +
                                          R"(","maxReceiveCount":0})"}});
    ASSERT_FALSE(zero.ok());
    EXPECT_NE(zero.error().message.find("valid values are from 1 to 1000"), std::string::npos);
}

TEST_F(Queues, CreateQueueIsIdempotentOnlyForTheSameAttributes)
{
    ASSERT_TRUE(engine->createQueue("same", {{"VisibilityTimeout", "40"}}).ok());
    EXPECT_TRUE(engine->createQueue("same", {{"VisibilityTimeout", "40"}}).ok());
    EXPECT_TRUE(engine->createQueue("same").ok());
    const auto other = engine->createQueue("same", {{"VisibilityTimeout", "41"}});
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, ErrorCode::QueueNameExists);

    const auto badName = engine->createQueue("has space");
    ASSERT_FALSE(badName.ok());
    EXPECT_EQ(badName.error().code, ErrorCode::InvalidParameter);
    const auto badValue = engine->createQueue("x", {{"VisibilityTimeout", "43201"}});
    ASSERT_FALSE(badValue.ok());
    EXPECT_EQ(badValue.error().code, ErrorCode::InvalidAttributeValue);
    const auto badAttribute = engine->createQueue("x", {{"Colour", "blue"}});
    ASSERT_FALSE(badAttribute.ok());
    EXPECT_EQ(badAttribute.error().code, ErrorCode::InvalidAttributeName);
}

TEST_F(Queues, PurgeRemovesEverythingOnceAMinute)
{
    ASSERT_TRUE(engine->createQueue("p").ok());
    send("p", "a");
    send("p", "b");
    ASSERT_TRUE(engine->purgeQueue("p").ok());
    EXPECT_EQ(attribute("p", "ApproximateNumberOfMessages"), "0");
    const auto again = engine->purgeQueue("p");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::PurgeQueueInProgress);
    advanceSeconds(60);
    EXPECT_TRUE(engine->purgeQueue("p").ok());
}

TEST_F(Queues, MessageAttributesKeepTheirValuesAndSqsMd5)
{
    ASSERT_TRUE(engine->createQueue("attrs").ok());
    QueueMessageInput input;
    input.body = "with attributes";
    input.attributes["city"] = {"String", "Zürich", ""};
    input.attributes["count"] = {"Number", "3", ""};
    input.attributes["raw"] = {"Binary", "", std::string("\x00\x01\xff", 3)};
    const auto sent = engine->sendMessage("attrs", input);
    ASSERT_TRUE(sent.ok()) << sent.error().message;
    // SQS's documented encoding (names sorted; each part length-prefixed, type byte 1 or 2),
    // worked out independently in Python.
    EXPECT_EQ(sent->md5OfMessageAttributes, "b3abfc63be04f3f6667fcb53d096f7be");
    auto got = receive("attrs");
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].attributes.at("city").stringValue, "Zürich");
    EXPECT_EQ(got[0].attributes.at("raw").binaryValue, std::string("\x00\x01\xff", 3));
    EXPECT_EQ(got[0].md5OfMessageAttributes, sent->md5OfMessageAttributes);

    QueueMessageInput bad;
    bad.body = std::string("nul \x01 inside");
    const auto refused = engine->sendMessage("attrs", bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidMessageContents);
    bad.body.clear();
    EXPECT_EQ(engine->sendMessage("attrs", bad).error().code, ErrorCode::MissingParameter);
}

TEST_F(Queues, ALongPollAnswersWhenAMessageArrives)
{
    ASSERT_TRUE(engine->createQueue("wait").ok());
    auto poll = startLongPoll("wait");
    send("wait", "wake up");
    ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto got = poll.get();
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), 1U);
    EXPECT_EQ((*got)[0].body, "wake up");
}

TEST_F(Queues, ShutdownEndsALongPollEmpty)
{
    ASSERT_TRUE(engine->createQueue("wait").ok());
    auto poll = startLongPoll("wait");
    engine->shutdown();
    ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto got = poll.get();
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(got->empty());
}

TEST_F(Queues, MessagesAndInFlightReceivesSurviveARestart)
{
    ASSERT_TRUE(engine->createQueue("durable", {{"VisibilityTimeout", "30"}}).ok());
    send("durable", "one");
    send("durable", "two");
    ASSERT_EQ(receive("durable", 1).size(), 1U); // "one" in flight when the engine stops
    reopenEngine();
    auto visible = receive("durable");
    ASSERT_EQ(visible.size(), 1U);
    EXPECT_EQ(visible[0].body, "two");
    ASSERT_TRUE(engine->deleteMessage("durable", visible[0].receiptHandle).ok());
    advanceSeconds(30);
    auto back = receive("durable");
    ASSERT_EQ(back.size(), 1U);
    EXPECT_EQ(back[0].body, "one");
    EXPECT_EQ(back[0].systemValues.at("ApproximateReceiveCount"), "2");
}

TEST_F(Queues, BatchIdsFollowSqsRules)
{
    EXPECT_EQ(validateBatchEntryIds({}).error().code, ErrorCode::EmptyBatchRequest);
    EXPECT_EQ(validateBatchEntryIds(std::vector<std::string>(11, "a")).error().code,
              ErrorCode::TooManyEntriesInBatchRequest);
    EXPECT_EQ(validateBatchEntryIds({"a", "a"}).error().code, ErrorCode::BatchEntryIdsNotDistinct);
    EXPECT_EQ(validateBatchEntryIds({"a b"}).error().code, ErrorCode::InvalidBatchEntryId);
    EXPECT_TRUE(validateBatchEntryIds({"a", "b-1", "c_2"}).ok());
    EXPECT_EQ(queueNameFromUrlOrArn("http://127.0.0.1:9000/000000000000/jobs"), "jobs");
    EXPECT_EQ(queueNameFromUrlOrArn("arn:aws:sqs:us-east-1:000000000000:jobs"), "jobs");
    EXPECT_FALSE(queueNameFromUrlOrArn("http://127.0.0.1:9000/"));
}

} // namespace
} // namespace lambdesk::engine::testing
