// FunctionStore: functions, code deploys (git history, trees on disk), crash-safe updates,
// reopening a data dir.
#include "common/encoding.h"
#include "storetestutil.h"

#include "store/consolestate.h"
#include "store/functionstore.h"
#include "store/gitrepo.h"
#include "store/invocationlog.h"
#include "store/storeutil.h"

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace lambdesk::engine;
using lambdesk::engine::test::makeZip;
using lambdesk::engine::test::pythonZip;
using lambdesk::engine::test::TempDir;

namespace {

FunctionConfig pythonConfig(const std::string &name = "resize")
{
    FunctionConfig config;
    config.name = name;
    config.runtime = "python3.11";
    config.handler = "lambda_function.handler";
    return config;
}

std::unique_ptr<FunctionStore> openStore(const fs::path &dir)
{
    auto store = FunctionStore::open({dir, "eu-west-1", "123456789012"});
    if (!store)
        ADD_FAILURE() << store.error().message;
    return store ? std::move(*store) : nullptr;
}

std::string readFile(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> history(const fs::path &dataDir, const StoredFunction &function)
{
    return detail::GitRepo::open(dataDir / "functions" / function.info.config.name / "repo.git")
        .history(function.info.commit);
}

} // namespace

TEST(FunctionStore, CreatesGetsListsAndDeletes)
{
    TempDir dir;
    auto store = openStore(dir.path());
    ASSERT_TRUE(store);
    const std::string zip = pythonZip();
    auto created = store->create(pythonConfig(), zip);
    ASSERT_TRUE(created) << created.error().message;
    const FunctionInfo &info = created->info;
    EXPECT_EQ(info.functionArn, "arn:aws:lambda:eu-west-1:123456789012:function:resize");
    EXPECT_EQ(info.version, "$LATEST");
    EXPECT_EQ(info.codeSha256, common::sha256Base64(zip));
    EXPECT_EQ(info.codeSize, static_cast<std::int64_t>(zip.size()));
    EXPECT_EQ(info.revisionId.size(), 36u);
    EXPECT_EQ(info.commit.size(), 40u);
    EXPECT_EQ(info.lastModified, detail::formatLastModified(info.lastModifiedMs));
    EXPECT_EQ(info.lastModified.size(), std::string("2026-11-25T15:39:06.000+0000").size());
    EXPECT_TRUE(info.lastModified.ends_with("+0000"));
    EXPECT_EQ(created->codeDir, dir.path() / "functions/resize/trees" / info.commit);
    EXPECT_EQ(readFile(created->codeDir / "lambda_function.py"),
              "def handler(event, context):\n    return 1\n");

    ASSERT_TRUE(store->create(pythonConfig("another"), zip));
    auto fetched = store->get("resize");
    ASSERT_TRUE(fetched);
    EXPECT_EQ(fetched->info.revisionId, info.revisionId);
    EXPECT_EQ(fetched->info.config.handler, "lambda_function.handler");
    EXPECT_TRUE(store->get("resize", "$LATEST"));
    const auto listed = store->list();
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].info.config.name, "another");
    EXPECT_EQ(listed[1].info.config.name, "resize");

    ASSERT_TRUE(store->remove("resize"));
    const auto gone = store->get("resize");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
    EXPECT_EQ(gone.error().message,
              "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:resize");
    EXPECT_FALSE(fs::exists(dir.path() / "functions/resize"));
    EXPECT_EQ(store->list().size(), 1u);
    EXPECT_EQ(store->remove("resize").error().code, ErrorCode::NotFound);
}

TEST(FunctionStore, RejectsDuplicateNameAndBadInput)
{
    TempDir dir;
    auto store = openStore(dir.path());
    ASSERT_TRUE(store->create(pythonConfig(), pythonZip()));
    const auto duplicate = store->create(pythonConfig(), pythonZip());
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
    EXPECT_EQ(duplicate.error().message, "Function already exist: resize");

    FunctionConfig bad = pythonConfig("bad name");
    EXPECT_EQ(store->create(bad, pythonZip()).error().code, ErrorCode::InvalidParameter);
    const auto badZip = store->create(pythonConfig("other"), "not a zip");
    ASSERT_FALSE(badZip);
    EXPECT_EQ(badZip.error().message,
              "Could not unzip uploaded file. Please check your file, then try to upload again.");
    EXPECT_FALSE(store->get("other"));
    EXPECT_FALSE(fs::exists(dir.path() / "functions/other"));
    EXPECT_TRUE(fs::is_empty(dir.path() / "staging"));
}

TEST(FunctionStore, UpdateCodeMakesOneCommitAndKeepsHistory)
{
    TempDir dir;
    auto store = openStore(dir.path());
    auto first = store->create(pythonConfig(), pythonZip("v = 1\n"));
    ASSERT_TRUE(first);
    const std::string secondZip = pythonZip("v = 2\n");
    auto second = store->updateCodeZip("resize", secondZip);
    ASSERT_TRUE(second) << second.error().message;
    auto third = store->updateCodeFiles("resize", {{"lambda_function.py", "v = 3\n", false},
                                                   {"lib/helper.py", "H = 1\n", false}});
    ASSERT_TRUE(third) << third.error().message;

    EXPECT_EQ(second->info.codeSha256, common::sha256Base64(secondZip));
    EXPECT_NE(second->info.revisionId, first->info.revisionId);
    EXPECT_NE(third->info.revisionId, second->info.revisionId);
    const auto commits = history(dir.path(), *third);
    ASSERT_EQ(commits.size(), 3u);
    EXPECT_EQ(commits[0], third->info.commit);
    EXPECT_EQ(commits[1], second->info.commit);
    EXPECT_EQ(commits[2], first->info.commit);
    EXPECT_EQ(detail::GitRepo::open(dir.path() / "functions/resize/repo.git").branchHead(),
              third->info.commit);

    EXPECT_EQ(readFile(third->codeDir / "lambda_function.py"), "v = 3\n");
    EXPECT_EQ(readFile(third->codeDir / "lib/helper.py"), "H = 1\n");
    // Replaced trees leave the functions dir at once (kept in trash for running invocations).
    EXPECT_FALSE(fs::exists(first->codeDir));
    EXPECT_FALSE(fs::exists(second->codeDir));

    auto code = store->readCode("resize");
    ASSERT_TRUE(code);
    ASSERT_EQ(code->size(), 2u);
    EXPECT_EQ((*code)[0].path, "lambda_function.py");
    EXPECT_EQ((*code)[1].path, "lib/helper.py");
    // The file deploy's CodeSha256 is that of a deterministic zip, which codeZip reproduces.
    auto zip = store->codeZip("resize");
    ASSERT_TRUE(zip);
    EXPECT_EQ(common::sha256Base64(*zip), third->info.codeSha256);
    EXPECT_EQ(static_cast<std::int64_t>(zip->size()), third->info.codeSize);
}

TEST(FunctionStore, SameFilesGiveSameCodeSha256)
{
    TempDir one;
    TempDir two;
    auto a = openStore(one.path());
    auto b = openStore(two.path());
    ASSERT_TRUE(a->create(pythonConfig(), pythonZip()));
    ASSERT_TRUE(b->create(pythonConfig(), pythonZip("other")));
    const std::vector<CodeFile> files = {{"b.py", "B", false}, {"a.py", "A", true}};
    auto fromA = a->updateCodeFiles("resize", files);
    auto fromB = b->updateCodeFiles("resize", {files[1], files[0]});
    ASSERT_TRUE(fromA && fromB);
    EXPECT_EQ(fromA->info.codeSha256, fromB->info.codeSha256);
}

TEST(FunctionStore, FailedUpdateLeavesPreviousCodeIntact)
{
    TempDir dir;
    auto store = openStore(dir.path());
    auto before = store->create(pythonConfig(), pythonZip("v = 1\n"));
    ASSERT_TRUE(before);
    const std::vector<std::string> badZips = {
        "garbage",
        makeZip({{"lambda_function.py", "v = 2\n"}, {"../evil", "x"}}),
        makeZip({{"lambda_function.py", "v = 2\n"}, {"/abs", "x"}}),
        makeZip({test::zerosEntry("big.bin", 270'000'000, 100)}),
    };
    for (const std::string &zip : badZips) {
        const auto failed = store->updateCodeZip("resize", zip);
        ASSERT_FALSE(failed);
        EXPECT_EQ(failed.error().code, ErrorCode::InvalidParameter);
    }
    const auto badFiles = store->updateCodeFiles("resize", {{"../x.py", "", false}});
    EXPECT_EQ(badFiles.error().code, ErrorCode::InvalidParameter);

    auto after = store->get("resize");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->info.revisionId, before->info.revisionId);
    EXPECT_EQ(after->info.commit, before->info.commit);
    EXPECT_EQ(after->info.codeSha256, before->info.codeSha256);
    EXPECT_EQ(readFile(after->codeDir / "lambda_function.py"), "v = 1\n");
    EXPECT_EQ(history(dir.path(), *after).size(), 1u);
    EXPECT_FALSE(fs::exists(dir.path() / "evil"));
    EXPECT_FALSE(fs::exists(dir.path() / "functions/evil"));
    EXPECT_TRUE(fs::is_empty(dir.path() / "staging"));
}

TEST(FunctionStore, KeepsExecutableBit)
{
    TempDir dir;
    auto store = openStore(dir.path());
    FunctionConfig config = pythonConfig("custom");
    config.runtime = "provided.al2023";
    config.handler.clear();
    auto created = store->create(config, makeZip({{"bootstrap", "#!/bin/sh\n", 0100755},
                                                  {"data.txt", "d", 0100644}}));
    ASSERT_TRUE(created) << created.error().message;
    struct stat info {};
    ASSERT_EQ(::stat((created->codeDir / "bootstrap").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0755u);
    ASSERT_EQ(::stat((created->codeDir / "data.txt").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0644u);
    auto code = store->readCode("custom");
    ASSERT_TRUE(code);
    ASSERT_EQ(code->size(), 2u);
    EXPECT_TRUE((*code)[0].executable);
    EXPECT_FALSE((*code)[1].executable);

    // An editor deploy keeps it too, and so does a tree rebuilt from git.
    auto updated = store->updateCodeFiles("custom", {{"bootstrap", "#!/bin/sh\nexit 0\n", true}});
    ASSERT_TRUE(updated);
    ASSERT_EQ(::stat((updated->codeDir / "bootstrap").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0755u);
    store.reset();
    fs::remove_all(updated->codeDir);
    store = openStore(dir.path());
    ASSERT_EQ(::stat((updated->codeDir / "bootstrap").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0755u);
}

TEST(FunctionStore, RevisionIdPrecondition)
{
    TempDir dir;
    auto store = openStore(dir.path());
    auto created = store->create(pythonConfig(), pythonZip());
    ASSERT_TRUE(created);
    const auto stale = store->updateCodeZip("resize", pythonZip("x"), "not-the-revision");
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::PreconditionFailed);
    EXPECT_EQ(stale.error().message,
              "The Revision Id provided does not match the latest Revision Id. Call the "
              "GetFunction/GetAlias API to retrieve the latest Revision Id");
    auto updated = store->updateCodeZip("resize", pythonZip("x"), created->info.revisionId);
    ASSERT_TRUE(updated);

    FunctionConfigPatch patch;
    patch.memorySizeMb = 256;
    patch.revisionId = created->info.revisionId; // stale now
    EXPECT_EQ(store->updateConfig("resize", patch).error().code, ErrorCode::PreconditionFailed);
    patch.revisionId = updated->info.revisionId;
    auto configured = store->updateConfig("resize", patch);
    ASSERT_TRUE(configured);
    EXPECT_EQ(configured->info.config.memorySizeMb, 256);
    EXPECT_NE(configured->info.revisionId, updated->info.revisionId);
    EXPECT_EQ(configured->info.commit, updated->info.commit); // configuration is not a deploy
}

TEST(FunctionStore, UpdateConfigValidatesAndPatches)
{
    TempDir dir;
    auto store = openStore(dir.path());
    ASSERT_TRUE(store->create(pythonConfig(), pythonZip()));
    FunctionConfigPatch patch;
    patch.timeoutSeconds = 901;
    const auto invalid = store->updateConfig("resize", patch);
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, ErrorCode::InvalidParameter);
    EXPECT_EQ(store->get("resize")->info.config.timeoutSeconds, 3);

    FunctionConfigPatch good;
    good.environment = std::map<std::string, std::string>{{"TABLE", "t1"}};
    good.description = "resizes";
    auto patched = store->updateConfig("resize", good);
    ASSERT_TRUE(patched);
    EXPECT_EQ(patched->info.config.environment.at("TABLE"), "t1");
    EXPECT_EQ(patched->info.config.description, "resizes");
    EXPECT_EQ(patched->info.config.handler, "lambda_function.handler"); // untouched
    EXPECT_EQ(store->updateConfig("missing", good).error().code, ErrorCode::NotFound);

    auto tagged = store->setTags("resize", {{"team", "media"}, {"lambdesk:sandbox", "process"}});
    ASSERT_TRUE(tagged);
    EXPECT_EQ(tagged->info.sandbox, "process");
    auto reserved = store->setReservedConcurrency("resize", 5);
    ASSERT_TRUE(reserved);
    EXPECT_EQ(store->get("resize")->info.reservedConcurrency, 5);
    ASSERT_TRUE(store->setReservedConcurrency("resize", std::nullopt));
    EXPECT_FALSE(store->get("resize")->info.reservedConcurrency);
}

TEST(FunctionStore, ReopenSeesEverything)
{
    TempDir dir;
    std::string revision;
    std::string commit;
    {
        auto store = openStore(dir.path());
        ASSERT_TRUE(store->create(pythonConfig(), pythonZip("v = 1\n")));
        ASSERT_TRUE(store->publishVersion("resize", "first", {}, {}));
        auto updated = store->updateCodeZip("resize", pythonZip("v = 2\n"));
        ASSERT_TRUE(updated);
        revision = updated->info.revisionId;
        commit = updated->info.commit;
        ASSERT_TRUE(
            store->consoleState().saveTestEvent("resize", {"hello", R"({"key":"value"})", false}));
        ASSERT_TRUE(
            store->consoleState().saveDraft("resize", {{"lambda_function.py", "v = 3\n", false}}));
        InvocationRecord record;
        record.requestId = "r-1";
        record.functionName = "resize";
        record.startTimeMs = 1000;
        record.log = "START RequestId: r-1\n";
        ASSERT_TRUE(store->invocations().record(record));
    }
    auto store = openStore(dir.path());
    auto latest = store->get("resize");
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->info.revisionId, revision);
    EXPECT_EQ(latest->info.commit, commit);
    EXPECT_EQ(readFile(latest->codeDir / "lambda_function.py"), "v = 2\n");
    auto version = store->get("resize", "1");
    ASSERT_TRUE(version);
    EXPECT_EQ(readFile(version->codeDir / "lambda_function.py"), "v = 1\n");
    EXPECT_EQ(history(dir.path(), *latest).size(), 2u);
    EXPECT_EQ(store->consoleState().listTestEvents("resize")->size(), 1u);
    EXPECT_EQ(store->consoleState().loadDraft("resize")->at(0).content, "v = 3\n");
    const auto records = store->invocations().list({"resize", 0, 0, 0, true, {}, {}});
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].log, "START RequestId: r-1\n");
}

TEST(FunctionStore, OpenRemovesOrphansAndRestoresTrees)
{
    TempDir dir;
    StoredFunction function;
    {
        auto store = openStore(dir.path());
        auto created = store->create(pythonConfig(), pythonZip());
        ASSERT_TRUE(created);
        function = *created;
    }
    // What a SIGKILL can leave behind: a half-built create, a half-extracted update, a tree
    // nothing points at, trash not yet swept, and a missing referenced tree.
    fs::create_directories(dir.path() / "functions/ghost/repo.git");
    fs::create_directories(dir.path() / "staging/1234/tree/lib");
    fs::create_directories(dir.path() / "functions/resize/trees/0123456789012345678901234567890123456789");
    fs::create_directories(dir.path() / "trash/1-abc");
    fs::remove_all(function.codeDir);

    auto store = openStore(dir.path());
    EXPECT_FALSE(fs::exists(dir.path() / "functions/ghost"));
    EXPECT_FALSE(fs::exists(dir.path() / "staging/1234"));
    EXPECT_FALSE(fs::exists(dir.path() / "trash/1-abc"));
    EXPECT_FALSE(fs::exists(dir.path() / "functions/resize/trees/0123456789012345678901234567890123456789"));
    EXPECT_EQ(readFile(function.codeDir / "lambda_function.py"),
              "def handler(event, context):\n    return 1\n");
    EXPECT_EQ(store->list().size(), 1u);
}

TEST(FunctionStore, ConcurrentCallsAreSafe)
{
    TempDir dir;
    auto store = openStore(dir.path());
    ASSERT_TRUE(store->create(pythonConfig(), pythonZip()));
    std::atomic<int> deployed{0};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) {
                const std::string body = "v = " + std::to_string(t * 100 + i) + "\n";
                auto result = store->updateCodeFiles("resize", {{"lambda_function.py", body, false}});
                if (result)
                    ++deployed;
                else if (result.error().code != ErrorCode::Conflict)
                    ++unexpected;
                if (!store->get("resize"))
                    ++unexpected;
                InvocationRecord record;
                record.requestId = body;
                record.functionName = "resize";
                if (!store->invocations().record(record))
                    ++unexpected;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    EXPECT_EQ(unexpected.load(), 0);
    EXPECT_GE(deployed.load(), 1);
    auto latest = store->get("resize");
    ASSERT_TRUE(latest);
    // Each successful deploy is exactly one commit on top of the previous one.
    EXPECT_EQ(history(dir.path(), *latest).size(), static_cast<std::size_t>(deployed.load() + 1));
    EXPECT_EQ(store->invocations().list({}).size(), 20u);
    std::printf("%d of 20 concurrent deploys won, the rest got Conflict\n", deployed.load());
}
