// Layers: immutable versions with numbers never reused, a function's references checked and
// resolved, deleted versions kept while referenced, and what survives a restart.
#include "storetestutil.h"

#include "store/functionstore.h"
#include "store/layerstore.h"

#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace lambdesk::engine;
using lambdesk::engine::test::makeZip;
using lambdesk::engine::test::pythonZip;
using lambdesk::engine::test::TempDir;
using lambdesk::engine::test::zerosEntry;

namespace {

const std::string kArn = "arn:aws:lambda:us-east-1:000000000000:layer:";

class Layers : public ::testing::Test {
protected:
    void SetUp() override { reopen(); }

    void reopen()
    {
        m_store.reset();
        auto opened = FunctionStore::open({m_dir.path(), "us-east-1", "000000000000"});
        ASSERT_TRUE(opened) << opened.error().message;
        m_store = std::move(*opened);
    }

    LayerStore &layers() { return m_store->layers(); }

    LayerVersionInfo publish(const std::string &name, const std::string &file,
                             const std::string &text)
    {
        auto published = layers().publish({name, {}, {}, {}, {}}, makeZip({{file, text}}));
        EXPECT_TRUE(published) << published.error().message;
        return published ? *published : LayerVersionInfo{};
    }

    Result<StoredFunction> createWith(const std::string &name, std::vector<std::string> layerArns)
    {
        FunctionConfig config;
        config.name = name;
        config.runtime = "python3.11";
        config.handler = "lambda_function.handler";
        config.layers = std::move(layerArns);
        return m_store->create(config, pythonZip());
    }

    static std::string read(const fs::path &path)
    {
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }

    TempDir m_dir;
    std::unique_ptr<FunctionStore> m_store;
};

} // namespace

TEST_F(Layers, VersionsAreNumberedOnceAndKeepTheirContent)
{
    const auto v1 = publish("libs", "python/lib.py", "V = 1\n");
    const auto v2 = publish(kArn + "libs", "python/lib.py", "V = 2\n");
    EXPECT_EQ(v1.layerVersionArn, kArn + "libs:1");
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v1.unzippedSize, 6);
    ASSERT_TRUE(layers().remove("libs", 2));
    EXPECT_EQ(layers().get("libs", 2).error().code, ErrorCode::NotFound);
    reopen(); // the number survives a restart and a delete
    EXPECT_EQ(publish("libs", "python/lib.py", "V = 3\n").version, 3);
    const auto listed = layers().versions("libs", {});
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].version, 3);
    EXPECT_EQ(listed[1].codeSha256, v1.codeSha256);

    const auto resolved = layers().describe({v1.layerVersionArn});
    ASSERT_EQ(resolved.dirs.size(), 1u);
    EXPECT_EQ(read(resolved.dirs[0] / "python/lib.py"), "V = 1\n");
}

TEST_F(Layers, AFunctionSeesItsLayersInOrder)
{
    const auto a = publish("a", "shared.txt", "a");
    const auto b = publish("b", "shared.txt", "b");
    auto created = createWith("uses-layers", {a.layerVersionArn, b.layerVersionArn});
    ASSERT_TRUE(created) << created.error().message;
    ASSERT_EQ(created->info.layers.size(), 2u);
    EXPECT_EQ(created->info.layers[1].arn, b.layerVersionArn);
    EXPECT_EQ(created->info.layers[1].codeSize, b.codeSize);
    ASSERT_EQ(created->layerDirs.size(), 2u);
    EXPECT_EQ(read(created->layerDirs[1] / "shared.txt"), "b");

    EXPECT_EQ(createWith("unknown", {kArn + "none:1"}).error().message,
              "Layer version " + kArn + "none:1 does not exist.");
    const auto a2 = publish("a", "shared.txt", "a2");
    EXPECT_NE(createWith("twice", {a.layerVersionArn, a2.layerVersionArn})
                  .error()
                  .message.find("Two different versions of the same layer"),
              std::string::npos);
    FunctionConfigPatch tooMany;
    tooMany.layers = std::vector<std::string>(6, a.layerVersionArn);
    EXPECT_EQ(m_store->updateConfig("uses-layers", tooMany).error().message,
              "Cannot reference more than 5 layers.");
}

TEST_F(Layers, ADeletedVersionStaysWhileAFunctionReferencesIt)
{
    const auto used = publish("used", "f", "used");
    const auto unused = publish("unused", "f", "unused");
    ASSERT_TRUE(createWith("keeper", {used.layerVersionArn}));
    ASSERT_TRUE(layers().remove("used", 1));
    ASSERT_TRUE(layers().remove("unused", 1));
    // Not attachable any more, but still served to the function that has it.
    EXPECT_FALSE(createWith("late", {used.layerVersionArn}));
    reopen();
    auto keeper = m_store->get("keeper");
    ASSERT_TRUE(keeper);
    ASSERT_EQ(keeper->layerDirs.size(), 1u);
    EXPECT_EQ(read(keeper->layerDirs[0] / "f"), "used");
    EXPECT_FALSE(fs::exists(m_dir.path() / "layers/unused/1"));

    // Once the last reference goes, the next start removes the files.
    FunctionConfigPatch none;
    none.layers = std::vector<std::string>{};
    ASSERT_TRUE(m_store->updateConfig("keeper", none));
    reopen();
    EXPECT_FALSE(fs::exists(m_dir.path() / "layers/used/1"));
}

TEST_F(Layers, APublishThatNeverReachedTheDatabaseLeavesNothing)
{
    fs::create_directories(m_dir.path() / "layers/ghost/1/tree");
    reopen();
    EXPECT_FALSE(fs::exists(m_dir.path() / "layers/ghost/1"));
    EXPECT_EQ(publish("ghost", "f", "x").version, 1);
}

TEST_F(Layers, CodeAndLayersTogetherStayWithin250Mb)
{
    auto big =
        layers().publish({"big", {}, {}, {}, {}}, makeZip({zerosEntry("zeros", 200u << 20)}));
    auto more =
        layers().publish({"more", {}, {}, {}, {}}, makeZip({zerosEntry("zeros", 60u << 20)}));
    ASSERT_TRUE(big && more);
    ASSERT_TRUE(createWith("fits", {big->layerVersionArn}));
    FunctionConfigPatch both;
    both.layers = std::vector<std::string>{big->layerVersionArn, more->layerVersionArn};
    const auto refused = m_store->updateConfig("fits", both);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("exceeds the maximum allowed size of 262144000 bytes"),
              std::string::npos);
    EXPECT_EQ(m_store->get("fits")->info.layers.size(), 1u);
}

TEST_F(Layers, APublishedVersionKeepsItsDeletedLayerAndStrayFilesAreLeftAlone)
{
    const auto layer = publish("pinned", "f", "pinned");
    ASSERT_TRUE(createWith("versioned", {layer.layerVersionArn}));
    ASSERT_TRUE(m_store->publishVersion("versioned", {}, {}, {}));
    FunctionConfigPatch none;
    none.layers = std::vector<std::string>{};
    ASSERT_TRUE(m_store->updateConfig("versioned", none)); // only version 1 still has it
    ASSERT_TRUE(layers().remove("pinned", 1));
    std::ofstream(m_dir.path() / "layers/.DS_Store") << "not a layer";
    reopen();
    const auto version = m_store->get("versioned", "1");
    ASSERT_TRUE(version) << version.error().message;
    ASSERT_EQ(version->layerDirs.size(), 1u);
    EXPECT_EQ(read(version->layerDirs[0] / "f"), "pinned");
    EXPECT_TRUE(fs::exists(m_dir.path() / "layers/.DS_Store"));
}
