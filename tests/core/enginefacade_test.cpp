// The Engine facade: data-dir lock, durability across restarts, records, observers, runtimes.

#include "app/testzip.h"
#include "enginefixture.h"

#include <atomic>

using namespace lambdesk::engine;
using lambdesk::engine::testing::EngineFixture;
using lambdesk::engine::testing::waitUntil;

namespace {

class EngineFacade : public EngineFixture {};

TEST_F(EngineFacade, SecondEngineOnSameDataDirIsRefusedNamingTheHolder)
{
    EngineOptions options = engineOptions();
    auto second = Engine::open(options);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::EngineLocked);
    EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos)
        << second.error().message;
    EXPECT_NE(dataDirLockHolder(m_dataDir).find(std::to_string(::getpid())), std::string::npos);
}

TEST_F(EngineFacade, FunctionsDeploysAndRecordsSurviveRestart)
{
    makePython("keep", "def handler(e, c):\n    return 1\n");
    ASSERT_TRUE(engine->deployFiles("keep", {{"app.py", "def handler(e, c):\n    return 2\n", false}}).ok());
    auto before = invokeOk("keep");
    reopenEngine();
    auto info = engine->getFunction("keep");
    ASSERT_TRUE(info.ok());
    auto code = engine->readCode("keep");
    ASSERT_TRUE(code.ok());
    ASSERT_EQ(code->size(), 1u);
    EXPECT_NE((*code)[0].content.find("return 2"), std::string::npos);
    bool found = false;
    InvocationQuery query;
    query.functionName = "keep";
    query.withLogs = true;
    for (const auto &rec : engine->listInvocations(query))
        found |= rec.requestId == before.record.requestId && rec.log == before.record.log;
    EXPECT_TRUE(found);
    EXPECT_EQ(invokeOk("keep").payload, "2");
}

// Deploy is one engine call: the draft goes with it, and a refused deploy leaves both the code
// and the draft as they were.
TEST_F(EngineFacade, DeployDropsTheDraftAndARefusedDeployKeepsIt)
{
    makePython("drafty", "def handler(e, c):\n    return 1\n");
    const std::vector<CodeFile> edited = {{"app.py", "def handler(e, c):\n    return 2\n", false}};
    ASSERT_TRUE(engine->saveDraft("drafty", edited).ok());

    auto refused = engine->deployFiles("drafty", {{"../escape.py", "x = 1\n", false}});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(engine->loadDraft("drafty")->size(), 1U);
    EXPECT_EQ(invokeOk("drafty").payload, "1");

    ASSERT_TRUE(engine->deployFiles("drafty", edited).ok());
    EXPECT_TRUE(engine->loadDraft("drafty")->empty());

    ASSERT_TRUE(engine->saveDraft("drafty", edited).ok());
    ASSERT_TRUE(engine
                    ->updateFunctionCode(
                        "drafty", lambdesk::app::makeZip(
                                      {{"app.py", "def handler(e, c):\n    return 3\n", false}}))
                    .ok());
    EXPECT_TRUE(engine->loadDraft("drafty")->empty());
}

// Compare in the Versions tab: two published versions from the git history, a version and the
// draft, whole files with every line numbered on its side; unchanged files are left out.
TEST_F(EngineFacade, DiffCodeComparesVersionsAndTheDraft)
{
    makePython("diffed", "def handler(e, c):\n    return 1\n");
    ASSERT_TRUE(
        engine
            ->deployFiles("diffed", {{"app.py", "def handler(e, c):\n    return 1\n", false},
                                     {"same.txt", "kept\n", false},
                                     {"old.txt", "gone\n", false}})
            .ok());
    ASSERT_TRUE(engine->publishVersion("diffed").ok());
    ASSERT_TRUE(
        engine
            ->deployFiles("diffed", {{"app.py", "def handler(e, c):\n    return 2\n", false},
                                     {"same.txt", "kept\n", false},
                                     {"new.sh", "echo hi\n", true}})
            .ok());
    ASSERT_TRUE(engine->publishVersion("diffed").ok());

    auto diff = engine->diffCode("diffed", {"1"}, {"2"});
    ASSERT_TRUE(diff.ok()) << diff.error().message;
    ASSERT_EQ(diff->size(), 3U);
    EXPECT_EQ((*diff)[0].path, "app.py");
    EXPECT_EQ((*diff)[0].change, FileDiff::Change::Modified);
    EXPECT_EQ((*diff)[0].addedLines, 1);
    EXPECT_EQ((*diff)[0].removedLines, 1);
    const std::vector<DiffLine> &lines = (*diff)[0].lines;
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[0].kind, DiffLine::Kind::Context);
    EXPECT_EQ(lines[0].text, "def handler(e, c):");
    EXPECT_EQ(lines[1].kind, DiffLine::Kind::Removed);
    EXPECT_EQ(lines[1].text, "    return 1");
    EXPECT_EQ(lines[1].oldLine, 2);
    EXPECT_EQ(lines[2].kind, DiffLine::Kind::Added);
    EXPECT_EQ(lines[2].newLine, 2);
    EXPECT_EQ((*diff)[1].path, "new.sh");
    EXPECT_EQ((*diff)[1].change, FileDiff::Change::Added);
    EXPECT_EQ((*diff)[2].path, "old.txt");
    EXPECT_EQ((*diff)[2].change, FileDiff::Change::Deleted);

    // Without a draft the draft is the deployed code; with one, its edits show.
    EXPECT_TRUE(engine->diffCode("diffed", {"2"}, {{}, true})->empty());
    ASSERT_TRUE(engine
                    ->saveDraft("diffed", {{"app.py", "def handler(e, c):\n    return 2\n", false},
                                           {"same.txt", "kept\n", false},
                                           {"new.sh", "echo hi\n", false},
                                           {"blob.bin", std::string("\0\1\2", 3), false}})
                    .ok());
    diff = engine->diffCode("diffed", {"$LATEST"}, {{}, true});
    ASSERT_TRUE(diff.ok());
    ASSERT_EQ(diff->size(), 2U);
    EXPECT_EQ((*diff)[0].path, "blob.bin");
    EXPECT_TRUE((*diff)[0].binary);
    EXPECT_EQ((*diff)[1].path, "new.sh");
    EXPECT_TRUE((*diff)[1].modeChanged);
    EXPECT_EQ((*diff)[1].addedLines, 0);
    ASSERT_EQ((*diff)[1].lines.size(), 1U); // shown whole, unchanged
    EXPECT_EQ((*diff)[1].lines[0].text, "echo hi");
    EXPECT_EQ((*diff)[1].lines[0].kind, DiffLine::Kind::Context);

    auto missing = engine->diffCode("diffed", {"7"}, {"2"});
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

// UpdateFunctionCode's DryRun: the same checks, a real unzip, and nothing committed.
TEST_F(EngineFacade, CheckFunctionCodeValidatesAndCommitsNothing)
{
    const FunctionInfo created = makePython("dry", "def handler(e, c):\n    return 1\n");
    const std::string zip =
        lambdesk::app::makeZip({{"app.py", "def handler(e, c):\n    return 2\n", false}});
    auto checked = engine->checkFunctionCode("dry", zip);
    ASSERT_TRUE(checked.ok()) << checked.error().message;
    EXPECT_NE(checked->codeSha256, created.codeSha256);
    EXPECT_EQ(checked->codeSize, static_cast<std::int64_t>(zip.size()));
    EXPECT_EQ(engine->getFunction("dry")->codeSha256, created.codeSha256);
    EXPECT_EQ(engine->getFunction("dry")->revisionId, created.revisionId);

    auto notAZip = engine->checkFunctionCode("dry", "not a zip");
    ASSERT_FALSE(notAZip.ok());
    EXPECT_EQ(notAZip.error().code, ErrorCode::InvalidParameter);
    auto staleRevision = engine->checkFunctionCode("dry", zip, "stale-revision");
    ASSERT_FALSE(staleRevision.ok());
    EXPECT_EQ(staleRevision.error().code, ErrorCode::PreconditionFailed);
    EXPECT_EQ(engine->checkFunctionCode("missing", zip).error().code, ErrorCode::NotFound);
    EXPECT_EQ(invokeOk("dry").payload, "1");
}

TEST_F(EngineFacade, ObserversSeeEveryInvocation)
{
    makePython("watched", "def handler(e, c):\n    return None\n");
    std::atomic<int> seen{0};
    int id = engine->subscribeInvocations([&](const InvocationRecord &rec) {
        if (rec.functionName == "watched")
            ++seen;
    });
    invokeOk("watched");
    invokeOk("watched");
    EXPECT_TRUE(waitUntil([&] { return seen == 2; }));
    engine->unsubscribeInvocations(id);
    invokeOk("watched");
    EXPECT_EQ(seen, 2);
}

TEST_F(EngineFacade, RuntimesListSaysWhatIsMissing)
{
    bool anyAvailable = false, anyMissingWithReason = false;
    for (const auto &runtime : engine->runtimes()) {
        anyAvailable |= runtime.available;
        anyMissingWithReason |= !runtime.available && !runtime.detail.empty();
    }
    EXPECT_TRUE(anyAvailable);
    EXPECT_TRUE(anyMissingWithReason);
    FunctionConfig config;
    config.name = "dotnet";
    config.runtime = "dotnet8";
    config.handler = "example.Handler::handleRequest";
    auto created = engine->createFunctionFromFiles(config, {{"Handler.java", "", false}});
    ASSERT_FALSE(created.ok());
    EXPECT_NE(created.error().message.find("available"), std::string::npos) << created.error().message;
}

TEST_F(EngineFacade, SandboxTagIsValidated)
{
    FunctionConfig config;
    config.name = "tagged";
    config.runtime = runtimeLike("python3");
    config.handler = "app.handler";
    config.tags["lambdesk:sandbox"] = "docker";
    auto created = engine->createFunctionFromFiles(config, {{"app.py", "def handler(e, c):\n    return 1\n", false}});
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, ErrorCode::InvalidParameter);
    config.tags["lambdesk:sandbox"] = "process";
    auto ok = engine->createFunctionFromFiles(config, {{"app.py", "def handler(e, c):\n    return 1\n", false}});
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok->sandbox, "process");
}

} // namespace
