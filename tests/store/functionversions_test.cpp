// Published versions: git tags plus configuration snapshots, numbered like Lambda numbers them.
#include "storetestutil.h"

#include "store/functionstore.h"
#include "store/gitrepo.h"
#include "store/storeutil.h"

#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace lambdesk::engine;
using lambdesk::engine::test::pythonZip;
using lambdesk::engine::test::TempDir;

namespace {

class FunctionVersions : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto opened = FunctionStore::open({m_dir.path(), "us-east-1", "000000000000"});
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(*opened);
        FunctionConfig config;
        config.name = "thumbs";
        config.runtime = "python3.11";
        config.handler = "lambda_function.handler";
        config.description = "makes thumbnails";
        ASSERT_TRUE(m_store->create(config, pythonZip("v = 1\n")));
    }

    std::string codeOf(const StoredFunction &function) const
    {
        std::ifstream in(function.codeDir / "lambda_function.py");
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    std::vector<std::string> tags() const
    {
        return detail::GitRepo::open(m_dir.path() / "functions/thumbs/repo.git").tags();
    }

    TempDir m_dir;
    std::unique_ptr<FunctionStore> m_store;
};

} // namespace

TEST_F(FunctionVersions, PublishesSnapshotsWithTheirOwnCode)
{
    auto v1 = m_store->publishVersion("thumbs", "first", {}, {});
    ASSERT_TRUE(v1) << v1.error().message;
    EXPECT_EQ(v1->info.version, "1");
    EXPECT_EQ(v1->info.functionArn, "arn:aws:lambda:us-east-1:000000000000:function:thumbs:1");
    EXPECT_EQ(v1->info.config.description, "first");

    FunctionConfigPatch patch;
    patch.memorySizeMb = 512;
    ASSERT_TRUE(m_store->updateConfig("thumbs", patch));
    ASSERT_TRUE(m_store->updateCodeZip("thumbs", pythonZip("v = 2\n")));
    auto v2 = m_store->publishVersion("thumbs", {}, {}, {});
    ASSERT_TRUE(v2);
    EXPECT_EQ(v2->info.version, "2");
    EXPECT_EQ(v2->info.config.description, "makes thumbnails"); // no override: the function's

    ASSERT_TRUE(m_store->updateCodeZip("thumbs", pythonZip("v = 3\n")));
    auto got1 = m_store->get("thumbs", "1");
    ASSERT_TRUE(got1);
    EXPECT_EQ(got1->info.config.memorySizeMb, 128);
    EXPECT_EQ(codeOf(*got1), "v = 1\n");
    EXPECT_NE(got1->codeDir, m_store->get("thumbs")->codeDir);
    auto got2 = m_store->get("thumbs", "2");
    ASSERT_TRUE(got2);
    EXPECT_EQ(got2->info.config.memorySizeMb, 512);
    EXPECT_EQ(codeOf(*got2), "v = 2\n");
    EXPECT_EQ(codeOf(*m_store->get("thumbs")), "v = 3\n");

    auto zip1 = m_store->codeZip("thumbs", "1");
    ASSERT_TRUE(zip1);
    auto code1 = m_store->readCode("thumbs", "1");
    ASSERT_TRUE(code1);
    EXPECT_EQ(code1->at(0).content, "v = 1\n");

    auto listed = m_store->listVersions("thumbs");
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 3u);
    EXPECT_EQ((*listed)[0].info.version, "$LATEST");
    EXPECT_EQ((*listed)[1].info.version, "1");
    EXPECT_EQ((*listed)[2].info.version, "2");
    EXPECT_EQ(tags(), (std::vector<std::string>{"v1", "v2"}));
}

TEST_F(FunctionVersions, PublishWithoutChangesReturnsTheLastVersion)
{
    auto v1 = m_store->publishVersion("thumbs", {}, {}, {});
    ASSERT_TRUE(v1);
    auto again = m_store->publishVersion("thumbs", "other description", {}, {});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->info.version, "1");
    EXPECT_EQ(again->info.revisionId, v1->info.revisionId);

    // Tags are not part of a version: still nothing to publish.
    ASSERT_TRUE(m_store->setTags("thumbs", {{"team", "x"}}));
    EXPECT_EQ(m_store->publishVersion("thumbs", {}, {}, {})->info.version, "1");

    FunctionConfigPatch patch;
    patch.timeoutSeconds = 10;
    ASSERT_TRUE(m_store->updateConfig("thumbs", patch));
    EXPECT_EQ(m_store->publishVersion("thumbs", {}, {}, {})->info.version, "2");
}

TEST_F(FunctionVersions, NumbersAreNeverReused)
{
    ASSERT_TRUE(m_store->publishVersion("thumbs", {}, {}, {}));
    ASSERT_TRUE(m_store->updateCodeZip("thumbs", pythonZip("v = 2\n")));
    ASSERT_TRUE(m_store->publishVersion("thumbs", {}, {}, {}));
    ASSERT_TRUE(m_store->remove("thumbs", "2"));
    EXPECT_EQ(m_store->get("thumbs", "2").error().code, ErrorCode::NotFound);
    EXPECT_EQ(m_store->get("thumbs", "2").error().message,
              "Function not found: arn:aws:lambda:us-east-1:000000000000:function:thumbs:2");
    ASSERT_TRUE(m_store->updateCodeZip("thumbs", pythonZip("v = 3\n")));
    auto v3 = m_store->publishVersion("thumbs", {}, {}, {});
    ASSERT_TRUE(v3);
    EXPECT_EQ(v3->info.version, "3");
    EXPECT_EQ(tags(), (std::vector<std::string>{"v1", "v3"}));

    // And across a reopen.
    m_store.reset();
    m_store = FunctionStore::open({m_dir.path(), "us-east-1", "000000000000"}).value();
    ASSERT_TRUE(m_store->updateCodeZip("thumbs", pythonZip("v = 4\n")));
    EXPECT_EQ(m_store->publishVersion("thumbs", {}, {}, {})->info.version, "4");
    EXPECT_EQ(codeOf(*m_store->get("thumbs", "1")), "v = 1\n");
}

TEST_F(FunctionVersions, PublishChecksCodeShaAndRevision)
{
    const auto latest = m_store->get("thumbs");
    ASSERT_TRUE(latest);
    const auto wrongSha = m_store->publishVersion("thumbs", {}, "AAAA", {});
    ASSERT_FALSE(wrongSha);
    EXPECT_EQ(wrongSha.error().code, ErrorCode::InvalidParameter);
    const auto wrongRevision = m_store->publishVersion("thumbs", {}, {}, "nope");
    ASSERT_FALSE(wrongRevision);
    EXPECT_EQ(wrongRevision.error().code, ErrorCode::PreconditionFailed);
    EXPECT_TRUE(m_store->publishVersion("thumbs", {}, latest->info.codeSha256, latest->info.revisionId));
    EXPECT_EQ(m_store->publishVersion("missing", {}, {}, {}).error().code, ErrorCode::NotFound);
}

TEST_F(FunctionVersions, DeleteRules)
{
    ASSERT_TRUE(m_store->publishVersion("thumbs", {}, {}, {}));
    const auto latest = m_store->remove("thumbs", "$LATEST");
    ASSERT_FALSE(latest);
    EXPECT_EQ(latest.error().code, ErrorCode::InvalidParameter);
    EXPECT_EQ(m_store->remove("thumbs", "9").error().code, ErrorCode::NotFound);
    EXPECT_EQ(m_store->remove("thumbs", "abc").error().code, ErrorCode::NotFound);
    EXPECT_EQ(m_store->get("thumbs", "abc").error().code, ErrorCode::NotFound);

    // Version 1 shares $LATEST's commit: deleting it must keep the tree $LATEST runs from.
    ASSERT_TRUE(m_store->remove("thumbs", "1"));
    auto current = m_store->get("thumbs");
    ASSERT_TRUE(current);
    EXPECT_EQ(codeOf(*current), "v = 1\n");

    ASSERT_TRUE(m_store->publishVersion("thumbs", {}, {}, {}));
    ASSERT_TRUE(m_store->remove("thumbs"));
    EXPECT_EQ(m_store->get("thumbs", "2").error().code, ErrorCode::NotFound);
    EXPECT_EQ(m_store->listVersions("thumbs").error().code, ErrorCode::NotFound);
}
