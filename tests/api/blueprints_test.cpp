// Every blueprint in the repository's blueprints/, as Create function → Use a blueprint makes it:
// the function from its files, its destinations, and its suggested trigger added through the same
// call the wizard uses (engine::createFunctionWithTrigger). Then the trigger fires for real — an
// HTTP request to its Function URL, a file in its folder, messages on its queue, its schedule's
// time on a clock the test moves — or, for a service Lambdesk has no local stand-in for (Kinesis,
// SNS, DynamoDB), the service's own event is sent as that service sends it. The outcome is checked
// each time.
#include "../core/enginefixture.h"
#include "lambdesk/engine/blueprint.h"
#include "lambdesk/engine/engine.h"
#include "lambdesk/engine/functionurlserver.h"
#include "lambdesk/engine/trigger.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <tuple>

namespace lambdesk::engine::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kStart = 1'796'551'200'000; // 2026-12-06T10:00:00Z
constexpr auto kDeadline = std::chrono::seconds(90);

const fs::path kBlueprints = fs::path(LAMBDESK_SOURCE_DIR) / "blueprints";
const fs::path kEvents = fs::path(LAMBDESK_SOURCE_DIR) / "resources" / "events";

std::string readText(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> blueprintFolders()
{
    std::vector<std::string> folders;
    for (const auto &entry : fs::directory_iterator(kBlueprints))
        if (fs::exists(entry.path() / "blueprint.json"))
            folders.push_back(entry.path().filename().string());
    std::sort(folders.begin(), folders.end());
    return folders;
}

// The core tests' engine on a temporary data dir, with a clock the test moves and the
// asynchronous retries' minutes made milliseconds.
class Blueprints : public EngineFixture, public ::testing::WithParamInterface<std::string> {
protected:
    EngineOptions engineOptions() override
    {
        EngineOptions options = EngineFixture::engineOptions();
        options.clock = [this] { return m_now.load(); };
        options.asyncDelayScale = 0.001;
        return options;
    }

    // CTest runs the suite once per backend (tests/api/CMakeLists.txt).
    std::string sandboxName() override
    {
        const char *backend = std::getenv("LAMBDESK_TEST_SANDBOX");
        return backend ? backend : "process";
    }

    void SetUp() override
    {
        EngineFixture::SetUp();
        if (HasFatalFailure())
            return;
        m_buckets = makeTempDir("lambdesk-buckets-"); // never in the data dir: refused there
        for (const Availability &backend : engine->sandboxAvailability())
            if (backend.id == sandboxName() && !backend.available)
                GTEST_SKIP() << "the " << backend.id << " backend: " << backend.detail;

        auto manifest =
            parseBlueprintManifest(readText(kBlueprints / GetParam() / "blueprint.json"));
        ASSERT_TRUE(manifest.ok()) << manifest.error().message;
        blueprint = std::move(*manifest);
        bool available = false;
        for (const auto &runtime : engine->runtimes())
            available = available || (runtime.id == blueprint.runtime && runtime.available);
        if (!available)
            GTEST_SKIP() << blueprint.runtime << " cannot run on this machine";
    }

    void TearDown() override
    {
        urls.reset(); // before the engine it serves
        EngineFixture::TearDown();
        fs::remove_all(m_buckets);
    }

    // As the wizard does (createFunctionWithTrigger): the blueprint's files, its executables
    // marked, with `trigger` and the blueprint's destinations.
    void create(const std::optional<TriggerRequest> &trigger, const std::string &outputFolder = {})
    {
        std::vector<CodeFile> files;
        for (const auto &entry : fs::directory_iterator(kBlueprints / GetParam())) {
            const std::string name = entry.path().filename().string();
            if (name == "blueprint.json")
                continue;
            const bool executable =
                name == "bootstrap" ||
                std::find(blueprint.executables.begin(), blueprint.executables.end(), name) !=
                    blueprint.executables.end();
            files.push_back({name, readText(entry.path()), executable});
        }
        FunctionConfig config;
        config.name = "bp-" + GetParam().substr(0, 60);
        config.runtime = blueprint.runtime;
        config.handler = blueprint.handler;
        auto created =
            createFunctionWithTrigger(*engine, config, files, trigger, &blueprint, outputFolder);
        ASSERT_TRUE(created.ok()) << created.error().message;
        function = config.name;
        addedTrigger = created->trigger;
    }

    std::vector<InvocationRecord> invocations(const std::string &source)
    {
        InvocationQuery query;
        query.functionName = function;
        query.withLogs = true;
        std::vector<InvocationRecord> found;
        for (auto &record : engine->listInvocations(query))
            if (record.source == source)
                found.push_back(std::move(record));
        return found;
    }

    // Waits for a finished invocation from `source` and expects it to have succeeded.
    void expectSucceededFrom(const std::string &source)
    {
        ASSERT_TRUE(waitUntil([&] { return !invocations(source).empty(); }, kDeadline))
            << "no invocation from \"" << source << "\"";
        const InvocationRecord record = invocations(source).front();
        EXPECT_EQ(record.status, InvocationStatus::Succeeded) << record.log;
    }

    json testEvent() const
    {
        return json::parse(readText(kEvents / (blueprint.testEvent + ".json")));
    }

    std::vector<PeekedMessage> messages(const std::string &queue)
    {
        auto peeked = engine->peekMessages(queue, 10);
        return peeked ? *peeked : std::vector<PeekedMessage>{};
    }

    void fireSchedule();
    void fireFolder();
    void firePipeline();
    void fireQueue();
    void fireFunctionUrl();
    void invokeAsyncWorker();
    void invokeWithTestEvent();

    std::unique_ptr<FunctionUrlServer> urls;
    BlueprintManifest blueprint;
    std::string function;
    std::string addedTrigger; // what createFunctionWithTrigger named
    std::atomic<std::int64_t> m_now{kStart};
    fs::path m_buckets;
};

void Blueprints::fireSchedule()
{
    ASSERT_NO_FATAL_FAILURE(create(blueprint.trigger));
    const auto fires =
        nextScheduleFires(blueprint.trigger.schedule.scheduleExpression, kStart, kStart, 1);
    ASSERT_TRUE(fires.ok() && fires->size() == 1U);
    m_now = fires->front();
    expectSucceededFrom(kInvocationSourceSchedule);
    const InvocationRecord run = invocations(kInvocationSourceSchedule).front();
    EXPECT_NE(run.log.find("Scheduled run at"), std::string::npos) << run.log;
}

void Blueprints::fireFolder()
{
    const fs::path bucket = m_buckets / "blueprint-bucket";
    fs::create_directories(bucket);
    TriggerRequest request = blueprint.trigger;
    request.folder.folder = bucket.string();
    ASSERT_NO_FATAL_FAILURE(create(request));
    EXPECT_EQ(addedTrigger, "blueprint-bucket");
    const std::string key = request.folder.prefix + "report" + request.folder.suffix;
    std::ofstream(bucket / key) << "id,amount\n1,9.99\n";
    expectSucceededFrom(kInvocationSourceFolder);
    const InvocationRecord run = invocations(kInvocationSourceFolder).front();
    EXPECT_NE(run.log.find(key), std::string::npos) << run.log;
}

// The data-preprocessing pipeline: files dropped in the input folder are read through S3's
// object API, and their clean and rejected records land in the output folder.
void Blueprints::firePipeline()
{
    const fs::path input = m_buckets / "pipeline-input";
    const fs::path output = m_buckets / "pipeline-output";
    fs::create_directories(input);
    TriggerRequest request = blueprint.trigger;
    request.folder.folder = input.string();
    ASSERT_NO_FATAL_FAILURE(create(request, output.string()));
    EXPECT_TRUE(fs::is_directory(output)) << "the output folder was not made";
    std::ofstream(input / "orders.csv") << "ID, E-mail ,Amount,Date\n"
                                           "1,Ann@Example.com, 9.99 ,2026-12-01\n"
                                           "2,not-an-email,5,2026-12-01\n"
                                           "3,bob@example.com,-4,2026-12-01\n"
                                           "4,cy@example.com,\"1,200.50\",01/12/2026\n"
                                           "5,dee@example.com,7\n";
    const auto lines = [](const fs::path &file) {
        std::vector<json> items;
        std::ifstream in(file);
        for (std::string line; std::getline(in, line);)
            items.push_back(json::parse(line));
        return items;
    };
    const fs::path rejectedFile = output / "rejected" / "orders.csv.jsonl";
    ASSERT_TRUE(waitUntil([&] { return fs::exists(rejectedFile); }, kDeadline))
        << "nothing reached the output folder";
    expectSucceededFrom(kInvocationSourceFolder);
    const auto clean = lines(output / "clean" / "orders.csv.jsonl");
    ASSERT_EQ(clean.size(), 2U) << invocations(kInvocationSourceFolder).front().log;
    EXPECT_EQ(clean[0], json::parse(R"({"id": "1", "email": "ann@example.com", "amount": 9.99,
                                        "date": "2026-12-01"})"));
    EXPECT_EQ(clean[1]["amount"], 1200.5);
    EXPECT_EQ(clean[1]["date"], "2026-12-01");
    const auto rejected = lines(rejectedFile);
    ASSERT_EQ(rejected.size(), 3U);
    EXPECT_EQ(rejected[0]["reason"], "Record 3 email is not an email address: 'not-an-email'");
    EXPECT_EQ(rejected[1]["reason"], "Record 4 amount is negative: -4.0");
    EXPECT_EQ(rejected[2]["reason"], "Record 6 has 3 fields, the header has 4");

    // JSON: numbers as people write them, not as float() reads them; a file that is not UTF-8 is
    // rejected whole, with the reason.
    std::ofstream(input / "more.json")
        << R"([{"id": "9", "email": "z@z.io", "amount": "nan", "date": "2026-02-03"},
               {"id": "10", "email": "y@z.io", "amount": "12,50", "date": "2026-02-03"},
               {"ID": "11", "E-mail": "w@z.io", "Total": "1,234.5", "date": "2026/02/03"}])";
    std::ofstream(input / "latin1.csv") << "id,email,amount,date\n1,caf\xE9@x.io,1,2026-01-01\n";
    ASSERT_TRUE(waitUntil(
        [&] {
            return fs::exists(output / "rejected" / "more.json.jsonl") &&
                   fs::exists(output / "rejected" / "latin1.csv.jsonl");
        },
        kDeadline));
    const auto moreClean = lines(output / "clean" / "more.json.jsonl");
    ASSERT_EQ(moreClean.size(), 1U);
    EXPECT_EQ(moreClean[0]["id"], "11");
    EXPECT_EQ(moreClean[0]["amount"], 1234.5);
    const auto moreRejected = lines(output / "rejected" / "more.json.jsonl");
    ASSERT_EQ(moreRejected.size(), 2U);
    EXPECT_EQ(moreRejected[0]["reason"], "Record 1 amount is not a number: 'nan'");
    EXPECT_EQ(moreRejected[1]["reason"], "Record 2 amount is not a number: '12,50'");
    const auto latin1 = lines(output / "rejected" / "latin1.csv.jsonl");
    ASSERT_EQ(latin1.size(), 1U);
    EXPECT_TRUE(latin1[0]["reason"].get<std::string>().starts_with("The file is not valid csv"))
        << latin1[0].dump();
    // The function's own writes went to a folder that triggers nothing: one invocation a file.
    ASSERT_TRUE(
        waitUntil([&] { return invocations(kInvocationSourceFolder).size() >= 3U; }, kDeadline));
    EXPECT_EQ(invocations(kInvocationSourceFolder).size(), 3U);
}

// Partial batch responses: the message that is not JSON stays on the queue, the others go.
void Blueprints::fireQueue()
{
    ASSERT_NO_FATAL_FAILURE(create(blueprint.trigger));
    EXPECT_EQ(addedTrigger, blueprint.trigger.queue);
    for (const char *body : {R"({"order": 1})", "not json", R"({"order": 2})"})
        ASSERT_TRUE(engine->sendMessage(blueprint.trigger.queue, {body, {}, {}, {}}).ok());
    expectSucceededFrom(kInvocationSourceQueue);
    ASSERT_TRUE(
        waitUntil([&] { return messages(blueprint.trigger.queue).size() == 1U; }, kDeadline))
        << "the handled messages were not deleted";
    EXPECT_EQ(messages(blueprint.trigger.queue).front().body, "not json");
}

void Blueprints::fireFunctionUrl()
{
    urls = std::make_unique<FunctionUrlServer>(*engine, ApiAccess{});
    const auto port = urls->start("127.0.0.1", 0);
    ASSERT_TRUE(port.ok()) << port.error().message;
    ASSERT_NO_FATAL_FAILURE(create(blueprint.trigger));
    const auto url = engine->getFunctionUrl(function);
    ASSERT_TRUE(url.ok()) << url.error().message;
    EXPECT_EQ(addedTrigger, url->functionUrl);
    httplib::Client client("127.0.0.1", *port);
    client.set_read_timeout(60);
    const std::string base = "/" + url->urlId;
    if (GetParam() == "http-api-sqlite-python") {
        // curl -d sends a form content type: the URL base64-encodes such a body.
        const auto created = client.Post(base + "/items", R"({"name": "apple"})",
                                         "application/x-www-form-urlencoded");
        ASSERT_TRUE(created);
        EXPECT_EQ(created->status, 201) << created->body;
        const json item = json::parse(created->body);
        EXPECT_EQ(item["name"], "apple");
        const auto listed = client.Get(base + "/items");
        ASSERT_TRUE(listed);
        EXPECT_EQ(listed->status, 200);
        EXPECT_EQ(json::parse(listed->body)["items"][0]["name"], "apple");
        const auto missing = client.Get(base + "/items/999");
        ASSERT_TRUE(missing);
        EXPECT_EQ(missing->status, 404);
        const std::string one = base + "/items/" + std::to_string(item["id"].get<int>());
        const auto deleted = client.Delete(one);
        ASSERT_TRUE(deleted);
        EXPECT_EQ(deleted->status, 204);
        const auto gone = client.Get(one);
        ASSERT_TRUE(gone);
        EXPECT_EQ(gone->status, 404);
    } else {
        const auto answer = client.Get(base + "/hello?name=lambdesk");
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->status, 200) << answer->body;
        EXPECT_NE(answer->body.find("lambdesk"), std::string::npos) << answer->body;
    }
    expectSucceededFrom(kInvocationSourceFunctionUrl);
}

// Asynchronous invocation: the result reaches the on-success queue, a job that fails every retry
// the on-failure queue, each as Lambda's invocation record.
void Blueprints::invokeAsyncWorker()
{
    ASSERT_NO_FATAL_FAILURE(create(std::nullopt));
    for (const auto &[payload, queue, condition] :
         {std::tuple{testEvent().dump(), blueprint.onSuccessQueue, "Success"},
          std::tuple{std::string(R"({"job": null})"), blueprint.onFailureQueue,
                     "RetriesExhausted"}}) {
        InvokeRequest request;
        request.functionName = function;
        request.type = InvocationType::Event;
        request.payload = payload;
        const auto accepted = engine->invoke(request);
        ASSERT_TRUE(accepted.ok()) << accepted.error().message;
        EXPECT_EQ(accepted->statusCode, 202);
        // Retries wait on the engine's clock: it moves a second at every look.
        ASSERT_TRUE(waitUntil(
            [&, queue = queue] {
                m_now += 1000;
                return !messages(queue).empty();
            },
            kDeadline))
            << "nothing reached " << queue;
        const json record = json::parse(messages(queue).front().body);
        EXPECT_EQ(record["requestContext"]["condition"], condition) << record.dump();
        EXPECT_EQ(record["requestPayload"], json::parse(payload));
        if (std::string(condition) == "Success") {
            EXPECT_EQ(record["responsePayload"]["results"]["key1"]["text"], "VALUE1");
        } else {
            EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 3);
        }
    }
}

// No local service sends these events: they are sent as the service does (SNS asynchronously).
void Blueprints::invokeWithTestEvent()
{
    ASSERT_NO_FATAL_FAILURE(create(std::nullopt));
    InvokeRequest request;
    request.functionName = function;
    request.payload = testEvent().dump();
    const bool sns = blueprint.triggerService == "SNS";
    request.type = sns ? InvocationType::Event : InvocationType::RequestResponse;
    const auto result = engine->invoke(request);
    ASSERT_TRUE(result.ok()) << result.error().message;
    if (sns) {
        EXPECT_EQ(result->statusCode, 202);
        ASSERT_TRUE(waitUntil([&] { return !invocations("").empty(); }, kDeadline));
        const InvocationRecord run = invocations("").front();
        EXPECT_EQ(run.status, InvocationStatus::Succeeded) << run.log;
        EXPECT_NE(run.log.find("example subject"), std::string::npos) << run.log;
        return;
    }
    EXPECT_FALSE(result->functionError) << result->payload;
    if (blueprint.triggerService == "Kinesis") {
        EXPECT_EQ(json::parse(result->payload)["batchItemFailures"], json::array());
        // A record that can never be read is skipped, not reported: Kinesis would retry it
        // until it expires, holding the shard up.
        json event = testEvent();
        event["Records"][0]["kinesis"]["data"] = "not base64!";
        request.payload = event.dump();
        const auto poisoned = engine->invoke(request);
        ASSERT_TRUE(poisoned.ok()) << poisoned.error().message;
        EXPECT_EQ(json::parse(poisoned->payload)["batchItemFailures"], json::array());
        EXPECT_NE(poisoned->record.log.find("skipped, it cannot be read"), std::string::npos)
            << poisoned->record.log;
    }
}

TEST_P(Blueprints, FiresItsSuggestedTrigger)
{
    switch (blueprint.trigger.kind) {
    case TriggerKind::Schedule:
        return fireSchedule();
    case TriggerKind::Folder:
        return blueprint.outputBucketVariable.empty() ? fireFolder() : firePipeline();
    case TriggerKind::Queue:
        return fireQueue();
    case TriggerKind::FunctionUrl:
        return fireFunctionUrl();
    case TriggerKind::None:
        if (!blueprint.onSuccessQueue.empty())
            return invokeAsyncWorker();
        return invokeWithTestEvent();
    }
}

TEST(BlueprintSet, HasAtLeastTwelveThatParse)
{
    const auto folders = blueprintFolders();
    EXPECT_GE(folders.size(), 12U);
    for (const std::string &folder : folders) {
        const auto manifest =
            parseBlueprintManifest(readText(kBlueprints / folder / "blueprint.json"));
        ASSERT_TRUE(manifest.ok()) << folder << ": " << manifest.error().message;
        EXPECT_TRUE(fs::exists(kEvents / (manifest->testEvent + ".json"))) << folder;
    }
}

TEST(BlueprintManifest, NamesTheFieldThatIsWrong)
{
    EXPECT_EQ(parseBlueprintManifest("[]").error().message, "blueprint.json is not a JSON object.");
    EXPECT_EQ(parseBlueprintManifest(R"({"name": 3})").error().message,
              "blueprint.json: name must be a string.");
    const auto queue = parseBlueprintManifest(
        R"({"name": "x", "trigger": {"queue": {"name": "q", "batchSize": "ten"}}})");
    ASSERT_FALSE(queue.ok());
    EXPECT_NE(queue.error().message.find("trigger.queue"), std::string::npos);
    EXPECT_EQ(
        parseBlueprintManifest(R"({"name": "x", "trigger": {"functionURL": {}}})").error().message,
        "blueprint.json: trigger.functionURL must be one of schedule, folder, queue, "
        "functionUrl.");
    EXPECT_FALSE(parseBlueprintManifest(
                     R"({"name": "x", "trigger": {"queue": {"name": "q"}, "functionUrl": {}}})")
                     .ok());
    EXPECT_FALSE(parseBlueprintManifest(
                     R"({"name": "x", "trigger": {"queue": {"name": "q", "batchSize": 10.7}}})")
                     .ok());
    EXPECT_FALSE(
        parseBlueprintManifest(
            R"({"name": "x", "trigger": {"queue": {"name": "q", "batchSize": 4294967306}}})")
            .ok());
    EXPECT_EQ(parseBlueprintManifest(R"({"name": "x", "trigger": {"queue": {}}})").error().message,
              "blueprint.json: trigger.queue.name must be a queue's name.");
    EXPECT_FALSE(
        parseBlueprintManifest(R"({"name": "x", "trigger": {"functionUrl": {"authType": "OPEN"}}})")
            .ok());
    const auto parsed = parseBlueprintManifest(
        R"({"name": "x", "trigger": {"queue": {"name": "q", "reportBatchItemFailures": true}},
            "destination": {"onFailure": {"queue": "dlq"}}})");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->trigger.kind, TriggerKind::Queue);
    EXPECT_EQ(parsed->trigger.mapping.batchSize, kDefaultSqsBatchSize);
    EXPECT_EQ(parsed->trigger.mapping.functionResponseTypes,
              std::vector<std::string>{kReportBatchItemFailures});
    EXPECT_EQ(parsed->onFailureQueue, "dlq");
    EXPECT_TRUE(parsed->onSuccessQueue.empty());
}

// Create function with a trigger the engine refuses: the error, and neither the function nor the
// queue made for the trigger stays (a user fixes the form and creates again).
TEST(CreateFunctionWithTrigger, LeavesNothingWhenTheTriggerFails)
{
    const fs::path dataDir = makeTempDir("lambdesk-blueprints-undo-");
    const std::shared_ptr<void> removeDataDir(nullptr, [&](void *) {
        std::error_code ignored;
        fs::remove_all(dataDir, ignored);
    });
    EngineOptions options;
    options.dataDir = dataDir;
    options.defaultSandbox = "process";
    auto engine = Engine::open(options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    FunctionConfig config;
    config.name = "half-made";
    config.handler = "app.handler";
    for (const auto &runtime : (*engine)->runtimes())
        if (runtime.available && runtime.id.rfind("python", 0) == 0)
            config.runtime = runtime.id;
    if (config.runtime.empty())
        GTEST_SKIP() << "no Python runtime on this machine";
    TriggerRequest queue;
    queue.kind = TriggerKind::Queue;
    queue.queue = "new-orders";
    queue.mapping.batchSize = 50; // over 10 without a batching window: refused
    const auto created = createFunctionWithTrigger(
        **engine, config, {{"app.py", "def handler(e, c):\n    return e\n", false}}, queue);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().message.rfind("The trigger could not be added: ", 0), 0U)
        << created.error().message;
    EXPECT_NE(created.error().message.find("Maximum batch window"), std::string::npos);
    EXPECT_FALSE((*engine)->getFunction("half-made").ok());
    EXPECT_FALSE((*engine)->getQueue("new-orders").ok());

    // A destination queue that cannot be made: no function, and the queue made before it goes.
    BlueprintManifest blueprint;
    blueprint.onSuccessQueue = "made-then-taken-back";
    blueprint.onFailureQueue = "not a queue name";
    const auto refused = createFunctionWithTrigger(
        **engine, config, {{"app.py", "def handler(e, c):\n    return e\n", false}}, std::nullopt,
        &blueprint);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message.rfind("The destinations could not be set: ", 0), 0U)
        << refused.error().message;
    EXPECT_FALSE((*engine)->getFunction("half-made").ok());
    EXPECT_FALSE((*engine)->getQueue("made-then-taken-back").ok());

    // Destinations set, then a trigger refused: the queue made for the destination goes too.
    BlueprintManifest worker;
    worker.onSuccessQueue = "results-for-nothing";
    const auto refusedTrigger = createFunctionWithTrigger(
        **engine, config, {{"app.py", "def handler(e, c):\n    return e\n", false}}, queue,
        &worker);
    ASSERT_FALSE(refusedTrigger.ok());
    EXPECT_FALSE((*engine)->getFunction("half-made").ok());
    EXPECT_FALSE((*engine)->getQueue("results-for-nothing").ok());

    // A name that is taken: the function that has it is left as it was.
    const auto first = createFunctionWithTrigger(
        **engine, config, {{"app.py", "def handler(e, c):\n    return 1\n", false}}, std::nullopt);
    ASSERT_TRUE(first.ok()) << first.error().message;
    const auto again = createFunctionWithTrigger(
        **engine, config, {{"app.py", "def handler(e, c):\n    return 2\n", false}}, queue);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::Conflict) << again.error().message;
    const auto kept = (*engine)->getFunction("half-made");
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(kept->codeSha256, first->function.codeSha256);
    engine->reset();
}

INSTANTIATE_TEST_SUITE_P(Repository, Blueprints, ::testing::ValuesIn(blueprintFolders()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

} // namespace
} // namespace lambdesk::engine::testing
