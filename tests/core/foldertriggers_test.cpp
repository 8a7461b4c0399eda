// Folder buckets through the Engine facade, on real files: a written file invokes the function
// with S3's event (bucket = folder name, key, size, eTag = MD5), prefix and suffix filter, deletes
// send ObjectRemoved, and the trigger's rules and permission come and go with it.
#include "enginefixture.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace lambdesk::engine::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char *kPrintEvent = R"(import json
def handler(event, context):
    print("EVENT " + json.dumps(event))
    return "ok"
)";

class FolderTriggers : public EngineFixture {
protected:
    void SetUp() override
    {
        EngineFixture::SetUp();
        m_folder = makeTempDir("lambdesk-folder-") / "orders-inbox";
        fs::create_directories(m_folder / "in");
    }
    void TearDown() override
    {
        EngineFixture::TearDown();
        fs::remove_all(m_folder.parent_path());
    }

    std::vector<nlohmann::json> records(const std::string &function)
    {
        InvocationQuery query;
        query.functionName = function;
        query.withLogs = true;
        std::vector<nlohmann::json> found;
        for (const auto &record : engine->listInvocations(query)) {
            const auto line = record.log.find("EVENT ");
            if (record.source != kInvocationSourceFolder || line == std::string::npos)
                continue;
            const auto end = record.log.find('\n', line);
            found.push_back(
                nlohmann::json::parse(record.log.substr(line + 6, end - line - 6))["Records"][0]);
        }
        return found;
    }

    static void write(const fs::path &file, const std::string &text)
    {
        std::ofstream(file, std::ios::binary) << text;
    }

    FolderTriggerInput csvInput()
    {
        FolderTriggerInput input;
        input.folder = m_folder.string();
        input.events = {kS3ObjectCreatedAll, kS3ObjectRemovedAll};
        input.prefix = "in/";
        input.suffix = ".csv";
        return input;
    }

    fs::path m_folder;
};

TEST_F(FolderTriggers, AWrittenFileInvokesWithS3sEvent)
{
    makePython("ingest", kPrintEvent);
    const auto trigger = engine->addFolderTrigger("ingest", {}, csvInput());
    ASSERT_TRUE(trigger.ok()) << trigger.error().message;
    EXPECT_EQ(trigger->bucket, "orders-inbox");
    EXPECT_TRUE(trigger->permitted);
    EXPECT_NE(engine->getPolicy("ingest")->policy.find("arn:aws:s3:::orders-inbox"),
              std::string::npos);

    write(m_folder / "in" / "skip.txt", "not a csv"); // suffix does not match
    write(m_folder / "other.csv", "no prefix");       // prefix does not match
    write(m_folder / "in" / "q4 2026.csv", "id,total\n1,20\n");
    ASSERT_TRUE(waitUntil([&] { return !records("ingest").empty(); }, std::chrono::seconds(60)));
    auto seen = records("ingest");
    ASSERT_EQ(seen.size(), 1U) << "only the file under in/ ending .csv";
    EXPECT_EQ(seen[0]["eventName"], "ObjectCreated:Put");
    EXPECT_EQ(seen[0]["s3"]["bucket"]["name"], "orders-inbox");
    EXPECT_EQ(seen[0]["s3"]["object"]["key"], "in/q4+2026.csv");
    EXPECT_EQ(seen[0]["s3"]["object"]["size"], 14);
    // md5 -s $'id,total\n1,20\n'
    EXPECT_EQ(seen[0]["s3"]["object"]["eTag"], "f84c994dec57edb99308eabe7926f7b7");
    EXPECT_EQ(seen[0]["s3"]["configurationId"], trigger->id);

    fs::remove(m_folder / "in" / "q4 2026.csv");
    ASSERT_TRUE(waitUntil([&] { return records("ingest").size() >= 2; }, std::chrono::seconds(60)));
    seen = records("ingest");
    EXPECT_EQ(seen[1]["eventName"], "ObjectRemoved:Delete");
    EXPECT_FALSE(seen[1]["s3"]["object"].contains("size"));
}

TEST_F(FolderTriggers, DisabledAndRemovedTriggersStayQuiet)
{
    makePython("ingest", kPrintEvent);
    const auto trigger = engine->addFolderTrigger("ingest", {}, csvInput());
    ASSERT_TRUE(trigger.ok());
    ASSERT_TRUE(engine->setFolderTriggerEnabled("ingest", trigger->id, false).ok());
    write(m_folder / "in" / "a.csv", "1");
    ASSERT_TRUE(engine->setFolderTriggerEnabled("ingest", trigger->id, true).ok());
    write(m_folder / "in" / "b.csv", "2");
    ASSERT_TRUE(waitUntil([&] { return !records("ingest").empty(); }, std::chrono::seconds(60)));
    ASSERT_EQ(records("ingest").size(), 1U);
    EXPECT_EQ(records("ingest")[0]["s3"]["object"]["key"], "in/b.csv");

    // Survives a restart; then removed, with its permission.
    reopenEngine();
    ASSERT_EQ(engine->listFolderTriggers("ingest")->size(), 1U);
    ASSERT_TRUE(engine->removeFolderTrigger("ingest", trigger->id).ok());
    EXPECT_TRUE(engine->listFolderTriggers("ingest")->empty());
    EXPECT_FALSE(engine->getPolicy("ingest").ok());
}

TEST_F(FolderTriggers, RefusesWhatCannotBeABucket)
{
    makePython("ingest", kPrintEvent);
    FolderTriggerInput input = csvInput();
    input.folder = (m_folder.parent_path() / "Not A Bucket").string();
    fs::create_directories(input.folder);
    auto refused = engine->addFolderTrigger("ingest", {}, input);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("is not a valid bucket name"), std::string::npos);
    input.folder = (m_folder.parent_path() / "missing-folder").string();
    refused = engine->addFolderTrigger("ingest", {}, input);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("does not exist"), std::string::npos);
    input = csvInput();
    input.events = {"s3:ObjectTagging:*"};
    EXPECT_FALSE(engine->addFolderTrigger("ingest", {}, input).ok());
    EXPECT_FALSE(engine->getPolicy("ingest").ok()) << "nothing was granted for refused triggers";
}

// A bucket is a registered folder, one per name: a trigger registers its folder, a folder that is
// missing is made, and a bucket stays while a trigger still uses it.
TEST_F(FolderTriggers, BucketsAreRegisteredFoldersOneNameEach)
{
    const fs::path made = m_folder.parent_path() / "made-here";
    const auto bucket = engine->addFolderBucket(made.string() + "/");
    ASSERT_TRUE(bucket.ok()) << bucket.error().message;
    EXPECT_EQ(bucket->name, "made-here");
    EXPECT_EQ(bucket->folder, made.string());
    EXPECT_TRUE(fs::is_directory(made));
    EXPECT_TRUE(engine->addFolderBucket(made.string()).ok()) << "the same folder again";
    const fs::path namesake = m_folder.parent_path() / "elsewhere" / "made-here";
    const auto conflict = engine->addFolderBucket(namesake.string());
    ASSERT_FALSE(conflict.ok());
    EXPECT_EQ(conflict.error().code, ErrorCode::Conflict);
    EXPECT_NE(conflict.error().message.find(made.string()), std::string::npos);
    EXPECT_EQ(engine->addFolderBucket("relative/path").error().code, ErrorCode::InvalidParameter);

    makePython("ingest", kPrintEvent);
    const auto trigger = engine->addFolderTrigger("ingest", {}, csvInput());
    ASSERT_TRUE(trigger.ok()) << trigger.error().message;
    const auto buckets = engine->listFolderBuckets();
    ASSERT_TRUE(buckets.ok());
    ASSERT_EQ(buckets->size(), 2U);
    EXPECT_EQ(buckets->at(1).name, "orders-inbox");
    EXPECT_EQ(engine->removeFolderBucket("orders-inbox").error().code, ErrorCode::Conflict);
    ASSERT_TRUE(engine->removeFolderTrigger("ingest", trigger->id).ok());
    ASSERT_TRUE(engine->removeFolderBucket("orders-inbox").ok());
    EXPECT_TRUE(fs::is_directory(m_folder)) << "its files stay";
    EXPECT_EQ(engine->removeFolderBucket("orders-inbox").error().code, ErrorCode::NotFound);

    // A folder trigger on a namesake of a registered bucket is refused before anything is granted.
    FolderTriggerInput input = csvInput();
    fs::create_directories(namesake);
    input.folder = namesake.string();
    EXPECT_EQ(engine->addFolderTrigger("ingest", {}, input).error().code, ErrorCode::Conflict);
    EXPECT_FALSE(engine->getPolicy("ingest").ok());
}

} // namespace
} // namespace lambdesk::engine::testing
