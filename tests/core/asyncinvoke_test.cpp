// Asynchronous invocation through the Engine facade, with real functions: a failed event is
// retried and its record goes to the on-failure destination, a success's record to the
// on-success function, a failed event itself to the dead-letter queue; an event waits out a
// restart in the durable queue; one too old is given up as EventAgeExceeded on a clock the test
// moves; and the event invoke config's rules hold. Delays are AWS's scaled down.
#include "enginefixture.h"

#include "common/clock.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <optional>

namespace lambdesk::engine::testing {
namespace {

using nlohmann::json;

constexpr const char *kFailing = R"(def handler(event, context):
    raise Exception("boom " + str(event.get("n")))
)";
constexpr const char *kEcho = R"(def handler(event, context):
    return {"echo": event}
)";
// Prints the invocation record it is sent, for the test to read from its log.
constexpr const char *kSink = R"(import json
def handler(event, context):
    print("RECORD " + json.dumps(event))
)";

class AsyncInvoke : public EngineFixture {
protected:
    EngineOptions engineOptions() override
    {
        EngineOptions options = EngineFixture::engineOptions();
        options.asyncDelayScale = m_delayScale;
        options.clock = [this] { return common::epochMillis() + m_skipMs.load(); };
        return options;
    }

    std::string invokeEvent(const std::string &function, const std::string &payload)
    {
        InvokeRequest request;
        request.functionName = function;
        request.payload = payload;
        request.type = InvocationType::Event;
        auto accepted = engine->invoke(request);
        EXPECT_TRUE(accepted.ok()) << (accepted.ok() ? "" : accepted.error().message);
        EXPECT_EQ(accepted.ok() ? accepted->statusCode : 0, 202);
        return accepted.ok() ? accepted->record.requestId : std::string();
    }

    std::string makeQueue(const std::string &name)
    {
        auto queue = engine->createQueue(name);
        EXPECT_TRUE(queue.ok());
        return queue.ok() ? queue->arn : std::string();
    }

    // The one message `queue` receives within the deadline.
    std::optional<ReceivedMessage> receiveOne(const std::string &queue)
    {
        std::optional<ReceivedMessage> received;
        waitUntil(
            [&] {
                auto messages = engine->receiveMessages(queue, {});
                if (messages.ok() && !messages->empty())
                    received = messages->front();
                return received.has_value();
            },
            std::chrono::seconds(60));
        return received;
    }

    std::vector<InvocationRecord> runsOf(const std::string &function, const std::string &requestId)
    {
        InvocationQuery query;
        query.functionName = function;
        query.withLogs = true;
        std::vector<InvocationRecord> runs;
        for (auto &record : engine->listInvocations(query))
            if (requestId.empty() || record.requestId == requestId)
                runs.push_back(std::move(record));
        return runs;
    }

    bool drained(const std::string &function)
    {
        return waitUntil([&] {
            auto pending = engine->pendingAsyncEvents(function);
            return pending.ok() && *pending == 0;
        });
    }

    std::atomic<std::int64_t> m_skipMs{0};
    double m_delayScale = 0.001; // a one-minute retry delay becomes 60 ms
};

TEST_F(AsyncInvoke, RetriesAFailedEventThenSendsItsRecordToTheOnFailureQueue)
{
    makePython("flaky", kFailing);
    const std::string failures = makeQueue("failures");
    EventInvokeConfigInput input;
    input.maximumRetryAttempts = 1;
    input.onFailure = failures;
    auto config = engine->putFunctionEventInvokeConfig("flaky", {}, input);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->functionArn, "arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST");

    const std::string requestId = invokeEvent("flaky", R"({"n": 7})");
    const auto message = receiveOne("failures");
    ASSERT_TRUE(message.has_value()) << "no invocation record on the on-failure queue";
    const json record = json::parse(message->body);
    EXPECT_EQ(record["version"], "1.0");
    EXPECT_EQ(record["requestContext"]["requestId"], requestId);
    EXPECT_EQ(record["requestContext"]["functionArn"], config->functionArn);
    EXPECT_EQ(record["requestContext"]["condition"], kConditionRetriesExhausted);
    EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 2);
    EXPECT_EQ(record["requestPayload"], json::parse(R"({"n": 7})"));
    EXPECT_EQ(record["responseContext"]["statusCode"], 200);
    EXPECT_EQ(record["responseContext"]["executedVersion"], "$LATEST");
    EXPECT_EQ(record["responseContext"]["functionError"], "Unhandled");
    EXPECT_EQ(record["responsePayload"]["errorMessage"], "boom 7");
    EXPECT_TRUE(record["timestamp"].get<std::string>().ends_with("Z"));

    EXPECT_TRUE(drained("flaky"));
    const auto runs = runsOf("flaky", requestId);
    ASSERT_EQ(runs.size(), 2u) << "one attempt and one retry";
    int retries = 0;
    for (const auto &run : runs) {
        EXPECT_EQ(run.invocationType, "Event");
        EXPECT_EQ(run.status, InvocationStatus::FunctionError);
        retries += run.source == kInvocationSourceAsyncRetry ? 1 : 0;
    }
    EXPECT_EQ(retries, 1);
}

TEST_F(AsyncInvoke, SendsASuccessRecordToTheOnSuccessFunction)
{
    makePython("echo", kEcho);
    const FunctionInfo sink = makePython("sink", kSink);
    EventInvokeConfigInput input;
    input.onSuccess = sink.functionArn;
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("echo", {}, input).ok());

    const std::string requestId = invokeEvent("echo", R"({"order": 42})");
    std::vector<InvocationRecord> delivered;
    ASSERT_TRUE(waitUntil([&] { return !(delivered = runsOf("sink", {})).empty(); },
                          std::chrono::seconds(60)));
    EXPECT_EQ(delivered.front().source, kInvocationSourceDestination);
    EXPECT_EQ(delivered.front().invocationType, "Event");
    const auto &log = delivered.front().log;
    const auto at = log.find("RECORD ");
    ASSERT_NE(at, std::string::npos) << log;
    const json record = json::parse(log.substr(at + 7, log.find('\n', at) - at - 7));
    EXPECT_EQ(record["requestContext"]["requestId"], requestId);
    EXPECT_EQ(record["requestContext"]["condition"], kConditionSuccess);
    EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 1);
    EXPECT_EQ(record["responsePayload"], json::parse(R"({"echo": {"order": 42}})"));
    EXPECT_FALSE(record["responseContext"].contains("functionError"));
}

TEST_F(AsyncInvoke, DeadLetterQueueGetsTheFailedEventWithItsError)
{
    makePython("flaky", kFailing);
    const std::string dlq = makeQueue("dlq");
    FunctionConfigPatch patch;
    patch.deadLetterTargetArn = dlq;
    auto updated = engine->updateFunctionConfiguration("flaky", patch);
    ASSERT_TRUE(updated.ok()) << updated.error().message;
    EXPECT_EQ(updated->config.deadLetterTargetArn, dlq);
    EventInvokeConfigInput input;
    input.maximumRetryAttempts = 0;
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("flaky", {}, input).ok());

    const std::string requestId = invokeEvent("flaky", R"({"n": 1})");
    const auto message = receiveOne("dlq");
    ASSERT_TRUE(message.has_value()) << "nothing on the dead-letter queue";
    EXPECT_EQ(json::parse(message->body), json::parse(R"({"n": 1})"));
    EXPECT_EQ(message->attributes.at("RequestID").stringValue, requestId);
    EXPECT_EQ(message->attributes.at("ErrorCode").dataType, "Number");
    EXPECT_EQ(message->attributes.at("ErrorMessage").stringValue, "boom 1");
    EXPECT_TRUE(drained("flaky"));
    EXPECT_EQ(runsOf("flaky", requestId).size(), 1u) << "MaximumRetryAttempts 0: no retry";
}

TEST_F(AsyncInvoke, AQueuedEventWaitsOutARestartAndRunsOnce)
{
    makePython("echo", kEcho);
    ASSERT_TRUE(engine->putFunctionConcurrency("echo", 0).ok()); // throttled until lifted
    const std::string requestId = invokeEvent("echo", "{}");
    ASSERT_TRUE(waitUntil([&] {
        const auto runs = runsOf("echo", requestId);
        return !runs.empty() && runs.front().status == InvocationStatus::Throttled;
    }));
    reopenEngine();
    auto pending = engine->pendingAsyncEvents("echo");
    ASSERT_TRUE(pending.ok());
    EXPECT_EQ(*pending, 1u) << "the queued event did not survive the restart";

    ASSERT_TRUE(engine->deleteFunctionConcurrency("echo").ok());
    ASSERT_TRUE(waitUntil(
        [&] {
            for (const auto &run : runsOf("echo", requestId))
                if (run.status == InvocationStatus::Succeeded)
                    return true;
            return false;
        },
        std::chrono::seconds(60)));
    EXPECT_TRUE(drained("echo"));
    int succeeded = 0;
    for (const auto &run : runsOf("echo", requestId))
        succeeded += run.status == InvocationStatus::Succeeded ? 1 : 0;
    EXPECT_EQ(succeeded, 1);
}

TEST_F(AsyncInvoke, AnEventOlderThanItsMaximumAgeIsGivenUp)
{
    makePython("echo", kEcho);
    const std::string failures = makeQueue("failures");
    ASSERT_TRUE(engine->putFunctionConcurrency("echo", 0).ok());
    EventInvokeConfigInput input;
    input.maximumEventAgeInSeconds = 60;
    input.onFailure = failures;
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("echo", {}, input).ok());
    const std::string requestId = invokeEvent("echo", R"({"late": true})");
    ASSERT_TRUE(waitUntil([&] { return !runsOf("echo", requestId).empty(); }));

    m_skipMs += 61'000; // past the maximum age, with no minute waited
    const auto message = receiveOne("failures");
    ASSERT_TRUE(message.has_value());
    const json record = json::parse(message->body);
    EXPECT_EQ(record["requestContext"]["condition"], kConditionEventAgeExceeded);
    EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 0);
    EXPECT_FALSE(record.contains("responseContext")) << "the function never ran";
    EXPECT_TRUE(drained("echo"));
}

TEST_F(AsyncInvoke, AnEventThatFailedThenGrewTooOldCarriesItsLastAnswer)
{
    m_delayScale = 1.0; // the retry waits a real minute: the clock below gets there first
    reopenEngine();
    makePython("flaky", kFailing);
    const std::string failures = makeQueue("failures");
    EventInvokeConfigInput input;
    input.maximumEventAgeInSeconds = 60;
    input.onFailure = failures;
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("flaky", {}, input).ok());
    const std::string requestId = invokeEvent("flaky", R"({"n": 3})");
    ASSERT_TRUE(waitUntil([&] { return !runsOf("flaky", requestId).empty(); }));
    ASSERT_TRUE(waitUntil([&] { // the first attempt's answer is stored with the event
        auto pending = engine->pendingAsyncEvents("flaky");
        return pending.ok() && *pending == 1;
    }));

    m_skipMs += 61'000;
    const auto message = receiveOne("failures");
    ASSERT_TRUE(message.has_value());
    const json record = json::parse(message->body);
    EXPECT_EQ(record["requestContext"]["condition"], kConditionEventAgeExceeded);
    EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 1);
    EXPECT_EQ(record["responseContext"]["functionError"], "Unhandled");
    EXPECT_EQ(record["responsePayload"]["errorMessage"], "boom 3");
    EXPECT_EQ(runsOf("flaky", requestId).size(), 1u) << "given up, not retried";
}

TEST_F(AsyncInvoke, ALoopOfDestinationsStopsAfterSixteenHops)
{
    const FunctionInfo loop = makePython("loop", kEcho);
    EventInvokeConfigInput input;
    input.onSuccess = loop.functionArn; // its own records invoke it again
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("loop", {}, input).ok());
    invokeEvent("loop", "{}");
    ASSERT_TRUE(
        waitUntil([&] { return runsOf("loop", {}).size() >= 17; }, std::chrono::seconds(60)));
    EXPECT_TRUE(drained("loop"));
    EXPECT_EQ(runsOf("loop", {}).size(), 17u) << "the event and 16 records, then Lambda stops";
}

TEST_F(AsyncInvoke, EventInvokeConfigRules)
{
    makePython("echo", kEcho);
    const std::string queue = makeQueue("records");
    EventInvokeConfigInput empty;
    auto refused = engine->putFunctionEventInvokeConfig("echo", {}, empty);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidParameter);

    EventInvokeConfigInput tooMany;
    tooMany.maximumRetryAttempts = 3;
    refused = engine->putFunctionEventInvokeConfig("echo", {}, tooMany);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::Validation);
    EXPECT_NE(refused.error().message.find("maximumRetryAttempts"), std::string::npos);

    EventInvokeConfigInput tooYoung;
    tooYoung.maximumEventAgeInSeconds = 59;
    EXPECT_EQ(engine->putFunctionEventInvokeConfig("echo", {}, tooYoung).error().code,
              ErrorCode::Validation);

    for (const std::string &destination :
         {std::string("arn:aws:sns:us-east-1:000000000000:topic"),
          std::string("arn:aws:lambda:us-east-1:000000000000:function:nobody"),
          std::string("arn:aws:sqs:us-east-1:000000000000:nothing")}) {
        EventInvokeConfigInput input;
        input.onFailure = destination;
        auto bad = engine->putFunctionEventInvokeConfig("echo", {}, input);
        ASSERT_FALSE(bad.ok()) << destination;
        EXPECT_EQ(bad.error().code, ErrorCode::InvalidParameter) << destination;
    }

    auto missing = engine->getFunctionEventInvokeConfig("echo");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
    EXPECT_EQ(missing.error().message, "The function arn:aws:lambda:us-east-1:000000000000:"
                                       "function:echo:$LATEST doesn't have an EventInvokeConfig");
    EventInvokeConfigInput retries;
    retries.maximumRetryAttempts = 1;
    EXPECT_EQ(engine->updateFunctionEventInvokeConfig("echo", {}, retries).error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(engine->putFunctionEventInvokeConfig("echo", "live", retries).error().code,
              ErrorCode::NotFound)
        << "no alias live";

    // Put replaces; Update merges.
    EventInvokeConfigInput full;
    full.maximumRetryAttempts = 0;
    full.onSuccess = queue;
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("echo", {}, full).ok());
    EventInvokeConfigInput age;
    age.maximumEventAgeInSeconds = 3600;
    auto merged = engine->updateFunctionEventInvokeConfig("echo", {}, age);
    ASSERT_TRUE(merged.ok());
    EXPECT_EQ(merged->maximumRetryAttempts, 0);
    EXPECT_EQ(merged->maximumEventAgeInSeconds, 3600);
    EXPECT_EQ(merged->onSuccess, queue);
    auto replaced = engine->putFunctionEventInvokeConfig("echo", "$LATEST", age);
    ASSERT_TRUE(replaced.ok());
    EXPECT_FALSE(replaced->maximumRetryAttempts.has_value());
    EXPECT_TRUE(replaced->onSuccess.empty());

    ASSERT_TRUE(engine->publishVersion("echo").ok());
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("echo:1", {}, retries).ok());
    auto listed = engine->listFunctionEventInvokeConfigs("echo");
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ(listed->at(0).qualifier, "$LATEST");
    EXPECT_EQ(listed->at(1).functionArn, "arn:aws:lambda:us-east-1:000000000000:function:echo:1");

    AliasConfig live;
    live.name = "live";
    live.functionVersion = "1";
    ASSERT_TRUE(engine->createAlias("echo", live).ok());
    ASSERT_TRUE(engine->putFunctionEventInvokeConfig("echo", "live", retries).ok());
    ASSERT_TRUE(engine->deleteAlias("echo", "live").ok());
    ASSERT_TRUE(engine->createAlias("echo", live).ok());
    EXPECT_EQ(engine->getFunctionEventInvokeConfig("echo", "live").error().code,
              ErrorCode::NotFound)
        << "a new alias of the same name starts without the old one's settings";

    ASSERT_TRUE(engine->deleteFunctionEventInvokeConfig("echo", "1").ok());
    EXPECT_EQ(engine->deleteFunctionEventInvokeConfig("echo", "1").error().code,
              ErrorCode::NotFound);
    ASSERT_TRUE(engine->deleteFunction("echo").ok());
    makePython("echo", kEcho);
    EXPECT_EQ(engine->getFunctionEventInvokeConfig("echo").error().code, ErrorCode::NotFound)
        << "a deleted function's configs went with it";
}

TEST_F(AsyncInvoke, DeadLetterTargetMustBeAQueueOfThisEngine)
{
    makePython("echo", kEcho);
    for (const std::string &target : {std::string("arn:aws:sns:us-east-1:000000000000:topic"),
                                      std::string("arn:aws:sqs:us-east-1:000000000000:nothing")}) {
        FunctionConfigPatch patch;
        patch.deadLetterTargetArn = target;
        auto refused = engine->updateFunctionConfiguration("echo", patch);
        ASSERT_FALSE(refused.ok()) << target;
        EXPECT_EQ(refused.error().code, ErrorCode::InvalidParameter) << target;
    }
    const std::string dlq = makeQueue("dlq");
    FunctionConfigPatch patch;
    patch.deadLetterTargetArn = dlq;
    ASSERT_TRUE(engine->updateFunctionConfiguration("echo", patch).ok());
    patch.deadLetterTargetArn = "";
    auto cleared = engine->updateFunctionConfiguration("echo", patch);
    ASSERT_TRUE(cleared.ok());
    EXPECT_TRUE(cleared->config.deadLetterTargetArn.empty());
}

} // namespace
} // namespace lambdesk::engine::testing
